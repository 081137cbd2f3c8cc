#pragma once
// Typed access to environment variables: every setting has a safe local default, and a value
// that is present but malformed stops start-up with a message naming the variable.
#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace fo::config {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::optional<std::string> Get(std::string_view name);
std::string String(std::string_view name, std::string_view fallback);
std::string Required(std::string_view name);  // throws ConfigError when unset or empty
std::int64_t Int(std::string_view name, std::int64_t fallback, std::int64_t min = INT64_MIN,
                 std::int64_t max = INT64_MAX);
bool Bool(std::string_view name, bool fallback);
std::chrono::milliseconds Millis(std::string_view name, std::chrono::milliseconds fallback);
// A secret given inline as NAME or as a file path in NAME_FILE (the Docker/Kubernetes secrets
// convention); NAME wins. Throws ConfigError when NAME_FILE names an unreadable file.
std::optional<std::string> Secret(std::string_view name);

}  // namespace fo::config
