#pragma once
// The user entity and its invariants. No I/O here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fo::user::domain {

enum class Role { kUser, kAdmin };

std::string_view ToString(Role role);
std::optional<Role> ParseRole(std::string_view text);

struct User {
  std::int64_t id = 0;
  std::string username;
  std::string email;
  std::string full_name;
  Role role = Role::kUser;
  bool is_active = true;
  std::string created_at;  // RFC 3339 UTC
  std::string updated_at;
};

struct Stats {
  std::int64_t total_users = 0;
  std::int64_t admin_count = 0;
  std::int64_t user_count = 0;
  std::int64_t active_users = 0;
};

}  // namespace fo::user::domain
