#include "platform/config/env.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace fo::config {

std::optional<std::string> Get(std::string_view name) {
  const std::string key(name);
  // NOLINTNEXTLINE(clang-analyzer-cplusplus.InnerPointer): getenv does not point into `key`
  const char* value = std::getenv(key.c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::string String(std::string_view name, std::string_view fallback) {
  auto value = Get(name);
  return value ? *value : std::string(fallback);
}

std::string Required(std::string_view name) {
  auto value = Get(name);
  if (!value) throw ConfigError(std::string(name) + " must be set");
  return *value;
}

std::int64_t Int(std::string_view name, std::int64_t fallback, std::int64_t min, std::int64_t max) {
  auto value = Get(name);
  if (!value) return fallback;
  std::int64_t parsed = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), parsed);
  if (ec != std::errc() || end != value->data() + value->size()) {
    throw ConfigError(std::string(name) + " must be an integer, got '" + *value + "'");
  }
  if (parsed < min || parsed > max) {
    throw ConfigError(std::string(name) + " must be between " + std::to_string(min) + " and " +
                      std::to_string(max));
  }
  return parsed;
}

bool Bool(std::string_view name, bool fallback) {
  auto value = Get(name);
  if (!value) return fallback;
  std::string lower = *value;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "1" || lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "0" || lower == "false" || lower == "no" || lower == "off") return false;
  throw ConfigError(std::string(name) + " must be true or false, got '" + *value + "'");
}

std::chrono::milliseconds Millis(std::string_view name, std::chrono::milliseconds fallback) {
  return std::chrono::milliseconds(Int(name, fallback.count(), 0));
}

}  // namespace fo::config
