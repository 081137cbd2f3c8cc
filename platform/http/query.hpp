#pragma once
// Typed query-string parameters; a malformed value is a 400 naming the parameter.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/http/message.hpp"

namespace fo::http {

std::optional<std::int64_t> QueryInt(const Request& request, std::string_view name,
                                     std::int64_t min, std::int64_t max);
std::optional<bool> QueryBool(const Request& request, std::string_view name);
std::optional<std::string> QueryString(const Request& request, std::string_view name,
                                       std::size_t max_length);

struct Paging {
  std::int64_t limit;
  std::int64_t offset;
};
// limit (default `fallback`, capped at `max`: a larger value is clamped, not refused) and offset.
Paging QueryPaging(const Request& request, std::int64_t fallback = 50, std::int64_t max = 100);

}  // namespace fo::http
