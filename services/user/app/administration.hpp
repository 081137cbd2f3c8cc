#pragma once
// What admins do to other accounts, and the bootstrap of the first admin.
#include "services/user/app/accounts.hpp"

namespace fo::user::app {

struct AdminUpdate {  // PUT /admin/users/{id}: the editable profile fields
  std::optional<std::string> email;
  std::optional<std::string> full_name;
  std::optional<std::string> password;
};

class Administration {
 public:
  Administration(UserRepository& users, PasswordHashing& hashing)
      : users_(users), hashing_(hashing) {}

  Task<User> Create(const Context& ctx, app::Register command);
  Task<Page> List(const Context& ctx, const UserQuery& query);
  Task<User> Get(const Context& ctx, std::int64_t id);
  Task<User> Update(const Context& ctx, std::int64_t id, AdminUpdate command);
  Task<void> Delete(const Context& ctx, std::int64_t id);
  Task<User> SetRole(const Context& ctx, std::int64_t id, Role role);
  Task<User> SetActive(const Context& ctx, std::int64_t id, bool active);
  Task<domain::Stats> Stats(const Context& ctx);

  // Creates the admin named by the operator unless the username exists; true if created.
  Task<bool> EnsureAdmin(const Context& ctx, const std::string& username,
                         const std::string& password, const std::string& email);

 private:
  UserRepository& users_;
  PasswordHashing& hashing_;
};

}  // namespace fo::user::app
