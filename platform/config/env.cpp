#include "platform/config/env.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace fo::config {

std::optional<std::string> Get(std::string_view name) {
  // Walks environ directly: no temporary C string for getenv (which clang's analyzer mistakes
  // for a dangling pointer source).
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view item(*entry);
    if (item.size() > name.size() && item[name.size()] == '=' && item.starts_with(name)) {
      auto value = item.substr(name.size() + 1);
      if (value.empty()) return std::nullopt;
      return std::string(value);
    }
  }
  return std::nullopt;
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
  const std::string text = std::move(*value);  // a plain string: clang's analyzer misreads
                                               // pointers into an optional's string
  std::int64_t parsed = 0;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(text.data(), last, parsed);
  if (ec != std::errc() || end != last) {
    throw ConfigError(std::string(name) + " must be an integer, got '" + text + "'");
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

std::optional<std::string> Secret(std::string_view name) {
  if (auto inline_value = Get(name)) return inline_value;
  const std::string file_variable = std::string(name) + "_FILE";
  auto path = Get(file_variable);
  if (!path) return std::nullopt;
  std::ifstream file(*path);
  if (!file) throw ConfigError(file_variable + ": cannot read " + *path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace fo::config
