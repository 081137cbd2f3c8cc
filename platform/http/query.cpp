#include "platform/http/query.hpp"

#include <charconv>

#include "platform/errors/error.hpp"
#include "platform/http/json_body.hpp"

namespace fo::http {
namespace {

[[noreturn]] void Bad(std::string_view name, const std::string& message) {
  throw InvalidArgument("query parameter " + std::string(name) + " " + message,
                        {{std::string(name), message}});
}

}  // namespace

std::optional<std::int64_t> QueryInt(const Request& request, std::string_view name,
                                     std::int64_t min, std::int64_t max) {
  auto text = request.Query(name);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (text->empty() || ec != std::errc() || end != text->data() + text->size()) {
    Bad(name, "must be an integer");
  }
  if (value < min || value > max) {
    Bad(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

std::optional<bool> QueryBool(const Request& request, std::string_view name) {
  auto text = request.Query(name);
  if (!text) return std::nullopt;
  if (*text == "true" || *text == "1") return true;
  if (*text == "false" || *text == "0") return false;
  Bad(name, "must be true or false");
}

std::optional<std::string> QueryString(const Request& request, std::string_view name,
                                       std::size_t max_length) {
  auto text = request.Query(name);
  if (!text || text->empty()) return std::nullopt;
  if (!IsCleanText(*text)) Bad(name, "must be UTF-8 text without NUL characters");
  if (CountCodePoints(*text) > max_length) {
    Bad(name, "must be at most " + std::to_string(max_length) + " characters");
  }
  return std::string(*text);
}

Paging QueryPaging(const Request& request, std::int64_t fallback, std::int64_t max) {
  auto limit = QueryInt(request, "limit", 1, INT64_MAX).value_or(fallback);
  auto offset = QueryInt(request, "offset", 0, INT64_MAX / 2).value_or(0);
  return {std::min(limit, max), offset};
}

}  // namespace fo::http
