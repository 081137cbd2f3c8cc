#pragma once
// Self-service: register, read and change one's own profile.
#include "services/user/app/commands.hpp"

namespace fo::user::app {

class Accounts {
 public:
  Accounts(UserRepository& users, PasswordHashing& hashing) : users_(users), hashing_(hashing) {}

  Task<User> Register(const Context& ctx, app::Register command);
  Task<User> Me(const Context& ctx, std::int64_t user_id);
  Task<User> UpdateMe(const Context& ctx, std::int64_t user_id, UpdateProfile command);

 private:
  UserRepository& users_;
  PasswordHashing& hashing_;
};

// Domain checks of a new account's fields; throws InvalidArgument listing every bad field.
void ValidateNewAccount(const app::Register& command);

}  // namespace fo::user::app
