#include "services/user/app/administration.hpp"

#include "platform/errors/error.hpp"
#include "services/user/domain/rules.hpp"

namespace fo::user::app {
namespace {

[[noreturn]] void NoSuchUser(std::int64_t id) {
  throw NotFound("user " + std::to_string(id) + " does not exist");
}

}  // namespace

Task<User> Administration::Create(const Context& ctx, app::Register command) {
  Accounts accounts(users_, hashing_);
  co_return co_await accounts.Register(ctx, std::move(command));
}

Task<Page> Administration::List(const Context& ctx, const UserQuery& query) {
  co_return co_await users_.List(ctx, query);
}

Task<User> Administration::Get(const Context& ctx, std::int64_t id) {
  auto user = co_await users_.Find(ctx, id);
  if (!user) NoSuchUser(id);
  co_return *user;
}

Task<User> Administration::Update(const Context& ctx, std::int64_t id, AdminUpdate command) {
  std::vector<FieldError> errors;
  if (command.email) {
    if (auto e = domain::CheckEmail(*command.email)) errors.push_back({"email", *e});
  }
  if (command.full_name) {
    if (auto e = domain::CheckFullName(*command.full_name)) errors.push_back({"full_name", *e});
  }
  if (command.password) {
    if (auto e = domain::CheckPassword(*command.password)) errors.push_back({"password", *e});
  }
  if (!errors.empty()) throw InvalidArgument("invalid fields", std::move(errors));
  UserChanges changes;
  if (command.email) changes.email = domain::NormalizeEmail(*command.email);
  changes.full_name = std::move(command.full_name);
  if (command.password)
    changes.password_hash = co_await hashing_.Hash(std::move(*command.password));
  auto user = co_await users_.Update(ctx, id, std::move(changes));
  if (!user) NoSuchUser(id);
  co_return *user;
}

Task<void> Administration::Delete(const Context& ctx, std::int64_t id) {
  const bool deleted = co_await users_.Delete(ctx, id);
  if (!deleted) NoSuchUser(id);
}

Task<User> Administration::SetRole(const Context& ctx, std::int64_t id, Role role) {
  auto user = co_await users_.SetRole(ctx, id, role);
  if (!user) NoSuchUser(id);
  co_return *user;
}

Task<User> Administration::SetActive(const Context& ctx, std::int64_t id, bool active) {
  auto user = co_await users_.SetActive(ctx, id, active);
  if (!user) NoSuchUser(id);
  co_return *user;
}

Task<domain::Stats> Administration::Stats(const Context& ctx) {
  co_return co_await users_.Stats(ctx);
}

Task<bool> Administration::EnsureAdmin(const Context& ctx, const std::string& username,
                                       const std::string& password, const std::string& email) {
  const auto existing = co_await users_.FindCredentials(ctx, username);
  if (existing) co_return false;
  app::Register command{username, email, password, "Administrator", Role::kAdmin};
  try {
    co_await Create(ctx, std::move(command));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kConflict) throw;
    co_return false;  // another replica created it first
  }
  co_return true;
}

}  // namespace fo::user::app
