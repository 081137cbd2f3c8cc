#include "services/user/app/accounts.hpp"

#include <optional>

#include "platform/errors/error.hpp"
#include "services/user/app/account_metrics.hpp"
#include "services/user/domain/rules.hpp"

namespace fo::user::app {
namespace {

void Check(std::vector<FieldError>& errors, const char* field,
           const std::optional<std::string>& problem) {
  if (problem) errors.push_back({field, *problem});
}

void ThrowIfAny(std::vector<FieldError> errors) {
  if (errors.empty()) return;
  std::string detail = "invalid fields:";
  for (const auto& e : errors) detail += " " + e.field + " " + e.message + ";";
  detail.pop_back();
  throw InvalidArgument(std::move(detail), std::move(errors));
}

}  // namespace

void ValidateNewAccount(const app::Register& command) {
  std::vector<FieldError> errors;
  Check(errors, "username", domain::CheckUsername(command.username));
  Check(errors, "email", domain::CheckEmail(command.email));
  Check(errors, "password", domain::CheckPassword(command.password));
  Check(errors, "full_name", domain::CheckFullName(command.full_name));
  ThrowIfAny(std::move(errors));
}

Task<User> Accounts::Register(const Context& ctx, app::Register command) {
  try {
    ValidateNewAccount(command);
  } catch (const Error&) {
    CountRegistration("invalid");
    throw;
  }
  // Awaited before the braces: GCC 12 frees twice when co_await sits in a braced initializer.
  auto password_hash = co_await hashing_.Hash(std::move(command.password));
  NewUser user{command.username, domain::NormalizeEmail(command.email), command.full_name,
               std::move(password_hash), command.role};
  std::optional<User> created;
  try {
    created = co_await users_.Create(ctx, std::move(user));
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kConflict) CountRegistration("conflict");
    throw;
  }
  CountRegistration("created");
  co_return std::move(*created);
}

Task<User> Accounts::Me(const Context& ctx, std::int64_t user_id) {
  auto user = co_await users_.Find(ctx, user_id);
  // A deleted or deactivated account's token may still be unexpired: it no longer counts.
  if (!user || !user->is_active)
    throw Unauthenticated("the account no longer exists or is inactive");
  co_return *user;
}

Task<User> Accounts::UpdateMe(const Context& ctx, std::int64_t user_id, UpdateProfile command) {
  std::vector<FieldError> errors;
  if (command.email) Check(errors, "email", domain::CheckEmail(*command.email));
  if (command.full_name) Check(errors, "full_name", domain::CheckFullName(*command.full_name));
  if (command.password) {
    Check(errors, "password", domain::CheckPassword(*command.password));
    if (!command.current_password) {
      errors.push_back({"current_password", "is required to change the password"});
    }
  }
  ThrowIfAny(std::move(errors));
  co_await Me(ctx, user_id);

  UserChanges changes;
  if (command.email) changes.email = domain::NormalizeEmail(*command.email);
  changes.full_name = std::move(command.full_name);
  if (command.password) {
    auto stored = co_await users_.PasswordHash(ctx, user_id);
    bool current_ok = false;
    if (stored) current_ok = co_await hashing_.Verify(*command.current_password, *stored);
    if (!current_ok) {
      throw InvalidArgument("the current password is wrong", {{"current_password", "is wrong"}});
    }
    changes.password_hash = co_await hashing_.Hash(std::move(*command.password));
  }
  auto updated = co_await users_.Update(ctx, user_id, std::move(changes));
  if (!updated) throw Unauthenticated("the account no longer exists");
  co_return *updated;
}

}  // namespace fo::user::app
