#include "services/user/adapters/pg_user_repository.hpp"

#include "services/user/adapters/pg_statements.hpp"

namespace fo::user::adapters {
namespace {

using app::Task;
using app::User;

User RowToUser(const pg::Row& row) {
  User user;
  user.id = row.Int(0);
  user.username = row.String(1);
  user.email = row.String(2);
  user.full_name = row.String(3);
  user.role = domain::ParseRole(row.String(4)).value_or(domain::Role::kUser);
  user.is_active = row.Bool(5);
  user.created_at = row.String(6);
  user.updated_at = row.String(7);
  return user;
}

std::optional<User> FirstUser(const pg::Result& result) {
  if (result.Empty()) return std::nullopt;
  return RowToUser(result[0]);
}

std::string LikePattern(const std::string& search) {
  std::string pattern = "%";
  for (char c : search) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

// Unique violations name their index; turn them into a conflict on the field.
[[noreturn]] void RethrowUnique(const pg::DbError& e) {
  if (e.constraint() == "users_username_key") {
    throw Error(ErrorKind::kConflict, "the username is already taken",
                {{"username", "is already taken"}});
  }
  if (e.constraint() == "users_email_key") {
    throw Error(ErrorKind::kConflict, "the email is already registered",
                {{"email", "is already registered"}});
  }
  throw;
}

// Runs `change` unless it would leave no active admin (decided under one advisory lock so two
// admins demoting each other concurrently cannot both succeed); revokes refresh tokens too.
template <typename Change>
Task<std::optional<User>> GuardedAdminChange(pg::Pool& pool, const Context& ctx, std::int64_t id,
                                             bool removes_admin_power, Change change) {
  co_return co_await pool.Transaction(ctx, [&](pg::Tx& tx) -> Task<std::optional<User>> {
    co_await tx.Query(sql::kLockAdmins);
    auto current = FirstUser(co_await tx.Query(sql::kFindById, pg::Params(id)));
    if (!current) co_return std::nullopt;
    if (removes_admin_power && current->role == domain::Role::kAdmin && current->is_active) {
      auto others = co_await tx.Query(sql::kOtherActiveAdmins, pg::Params(id));
      if (others[0].Int(0) == 0) {
        throw Unprocessable("this is the last active admin; promote another admin first");
      }
    }
    auto result = co_await change(tx);
    co_await tx.Query(sql::kRevokeUserTokens, pg::Params(id));
    co_return result;
  });
}

}  // namespace

Task<User> PgUserRepository::Create(const Context& ctx, app::NewUser user) {
  try {
    auto result = co_await pool_.Query(
        ctx, sql::kInsert,
        pg::Params(user.username, user.email, user.full_name, user.password_hash,
                   std::string(domain::ToString(user.role))));
    co_return RowToUser(result[0]);
  } catch (const pg::DbError& e) {
    if (!e.IsUniqueViolation()) throw;
    RethrowUnique(e);
  }
}

Task<std::optional<User>> PgUserRepository::Find(const Context& ctx, std::int64_t id) {
  co_return FirstUser(co_await pool_.Query(ctx, sql::kFindById, pg::Params(id)));
}

Task<std::optional<std::pair<User, std::string>>> PgUserRepository::FindCredentials(
    const Context& ctx, const std::string& username) {
  auto result = co_await pool_.Query(ctx, sql::kFindCredentials, pg::Params(username));
  if (result.Empty()) co_return std::nullopt;
  co_return std::pair{RowToUser(result[0]), result[0].String(8)};
}

Task<std::optional<std::string>> PgUserRepository::PasswordHash(const Context& ctx,
                                                                std::int64_t id) {
  auto result = co_await pool_.Query(ctx, sql::kPasswordHash, pg::Params(id));
  if (result.Empty()) co_return std::nullopt;
  co_return result[0].String(0);
}

Task<std::optional<User>> PgUserRepository::Update(const Context& ctx, std::int64_t id,
                                                   app::UserChanges changes) {
  try {
    co_return FirstUser(co_await pool_.Query(
        ctx, sql::kUpdate,
        pg::Params(id, changes.email, changes.full_name, changes.password_hash)));
  } catch (const pg::DbError& e) {
    if (!e.IsUniqueViolation()) throw;
    RethrowUnique(e);
  }
}

Task<app::Page> PgUserRepository::List(const Context& ctx, const app::UserQuery& query) {
  std::optional<std::string> role;
  if (query.role) role = std::string(domain::ToString(*query.role));
  std::optional<std::string> pattern;
  if (query.search) pattern = LikePattern(*query.search);
  pg::Params filter(role, query.is_active, pattern);
  auto rows = co_await pool_.Query(
      ctx, sql::kList, pg::Params(role, query.is_active, pattern, query.limit, query.offset));
  auto count = co_await pool_.Query(ctx, sql::kCount, filter);
  app::Page page;
  page.total = count[0].Int(0);
  page.items.reserve(static_cast<std::size_t>(rows.Rows()));
  for (int i = 0; i < rows.Rows(); ++i) page.items.push_back(RowToUser(rows[i]));
  co_return page;
}

Task<std::vector<User>> PgUserRepository::FindMany(const Context& ctx,
                                                   const std::vector<std::int64_t>& ids) {
  auto rows = co_await pool_.Query(ctx, sql::kFindMany, pg::Params(ids));
  std::vector<User> users;
  users.reserve(static_cast<std::size_t>(rows.Rows()));
  for (int i = 0; i < rows.Rows(); ++i) users.push_back(RowToUser(rows[i]));
  co_return users;
}

Task<std::optional<User>> PgUserRepository::SetRole(const Context& ctx, std::int64_t id,
                                                    app::Role role) {
  const std::string name(domain::ToString(role));
  co_return co_await GuardedAdminChange(
      pool_, ctx, id, role != app::Role::kAdmin, [&](pg::Tx& tx) -> Task<std::optional<User>> {
        co_return FirstUser(co_await tx.Query(sql::kSetRole, pg::Params(id, name)));
      });
}

Task<std::optional<User>> PgUserRepository::SetActive(const Context& ctx, std::int64_t id,
                                                      bool active) {
  co_return co_await GuardedAdminChange(
      pool_, ctx, id, !active, [&](pg::Tx& tx) -> Task<std::optional<User>> {
        co_return FirstUser(co_await tx.Query(sql::kSetActive, pg::Params(id, active)));
      });
}

Task<bool> PgUserRepository::Delete(const Context& ctx, std::int64_t id) {
  auto deleted = co_await GuardedAdminChange(
      pool_, ctx, id, true, [&](pg::Tx& tx) -> Task<std::optional<User>> {
        auto result = co_await tx.Query(sql::kDelete, pg::Params(id));
        co_return result.AffectedRows() > 0 ? std::optional<User>(User{}) : std::nullopt;
      });
  co_return deleted.has_value();
}

Task<domain::Stats> PgUserRepository::Stats(const Context& ctx) {
  auto result = co_await pool_.Query(ctx, sql::kStats);
  auto row = result[0];
  co_return domain::Stats{row.Int(0), row.Int(1), row.Int(2), row.Int(3)};
}

Task<void> PgRefreshTokenStore::Save(const Context& ctx, std::int64_t user_id,
                                     const std::string& token_hash, std::chrono::seconds ttl) {
  co_await pool_.Query(ctx, sql::kSaveToken,
                       pg::Params(token_hash, user_id, static_cast<std::int64_t>(ttl.count())));
}

Task<std::optional<std::int64_t>> PgRefreshTokenStore::Rotate(const Context& ctx,
                                                              const std::string& old_hash,
                                                              const std::string& new_hash,
                                                              std::chrono::seconds ttl) {
  co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<std::optional<std::int64_t>> {
    auto consumed = co_await tx.Query(sql::kConsumeToken, pg::Params(old_hash));
    if (consumed.Empty()) co_return std::nullopt;
    const auto user_id = consumed[0].Int(0);
    co_await tx.Query(sql::kSaveToken,
                      pg::Params(new_hash, user_id, static_cast<std::int64_t>(ttl.count())));
    co_return user_id;
  });
}

Task<void> PgRefreshTokenStore::Revoke(const Context& ctx, const std::string& token_hash) {
  co_await pool_.Query(ctx, sql::kRevokeToken, pg::Params(token_hash));
}

}  // namespace fo::user::adapters
