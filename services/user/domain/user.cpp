#include "services/user/domain/user.hpp"

namespace fo::user::domain {

std::string_view ToString(Role role) { return role == Role::kAdmin ? "admin" : "user"; }

std::optional<Role> ParseRole(std::string_view text) {
  if (text == "admin") return Role::kAdmin;
  if (text == "user") return Role::kUser;
  return std::nullopt;
}

}  // namespace fo::user::domain
