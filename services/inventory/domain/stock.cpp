#include "services/inventory/domain/stock.hpp"

#include <algorithm>
#include <charconv>

namespace fo::inventory::domain {
namespace {

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

std::size_t CodePoints(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

std::optional<std::string> CheckLocation(std::string_view location) {
  const auto length = CodePoints(location);
  if (length < 1 || length > kLocationMax) return "must be 1 to 64 characters";
  if (std::any_of(location.begin(), location.end(),
                  [](char c) { return IsControl(static_cast<unsigned char>(c)); })) {
    return "must not contain control characters";
  }
  if (location.front() == ' ' || location.back() == ' ') {
    return "must not start or end with a space";
  }
  return std::nullopt;
}

std::optional<std::string> CheckReason(std::string_view reason) {
  if (CodePoints(reason) > kReasonMax) return "must be at most 200 characters";
  if (std::any_of(reason.begin(), reason.end(),
                  [](char c) { return IsControl(static_cast<unsigned char>(c)); })) {
    return "must not contain control characters";
  }
  return std::nullopt;
}

std::string ETagOf(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

std::optional<std::int64_t> ParseIfMatch(std::string_view header) {
  if (header.size() < 3 || header.front() != '"' || header.back() != '"') return std::nullopt;
  const auto digits = header.substr(1, header.size() - 2);
  std::int64_t version = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (ec != std::errc() || end != digits.data() + digits.size() || version <= 0) {
    return std::nullopt;
  }
  return version;
}

std::string UserActor(std::int64_t user_id) { return "user:" + std::to_string(user_id); }

}  // namespace fo::inventory::domain
