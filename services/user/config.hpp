#pragma once
// The user service's settings, all from environment variables (see README's table).
#include <chrono>
#include <optional>
#include <string>

#include "platform/auth/password_hasher.hpp"

namespace fo::user {

struct Config {
  std::string jwt_private_key_pem;  // JWT_PRIVATE_KEY, or the file JWT_PRIVATE_KEY_FILE
  std::string jwt_key_id;
  std::string jwt_issuer;
  std::string jwt_audience;
  std::chrono::seconds access_ttl{900};
  std::chrono::seconds refresh_ttl{14 * 24 * 3600};
  std::optional<std::string> admin_username;
  std::optional<std::string> admin_password;
  std::string admin_email;
  // PASSWORD_HASH_THREADS, PASSWORD_HASH_QUEUE, PASSWORD_HASH_COST
  auth::PasswordHasher::Options hashing;

  static Config FromEnv();
};

}  // namespace fo::user
