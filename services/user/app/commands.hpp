#pragma once
// Inputs of the use cases, already typed by the transport; the use cases check domain rules.
#include <optional>
#include <string>

#include "services/user/app/ports.hpp"

namespace fo::user::app {

struct Register {
  std::string username;
  std::string email;
  std::string password;
  std::string full_name;
  Role role = Role::kUser;  // only admins create admins (admin::CreateUser)
};

struct Login {
  std::string username;
  std::string password;
};

struct UpdateProfile {
  std::optional<std::string> email;
  std::optional<std::string> full_name;
  std::optional<std::string> password;
  std::optional<std::string> current_password;  // required to change the password
};

struct Session {
  AccessToken access;
  std::string refresh_token;
  std::chrono::seconds refresh_ttl{0};
  User user;
};

}  // namespace fo::user::app
