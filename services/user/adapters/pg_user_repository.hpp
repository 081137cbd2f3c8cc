#pragma once
#include "platform/pg/pool.hpp"
#include "services/user/app/ports.hpp"

namespace fo::user::adapters {

class PgUserRepository final : public app::UserRepository {
 public:
  explicit PgUserRepository(pg::Pool& pool) : pool_(pool) {}
  app::Task<app::User> Create(const Context& ctx, app::NewUser user) override;
  app::Task<std::optional<app::User>> Find(const Context& ctx, std::int64_t id) override;
  app::Task<std::optional<std::pair<app::User, std::string>>> FindCredentials(
      const Context& ctx, const std::string& username) override;
  app::Task<std::optional<std::string>> PasswordHash(const Context& ctx, std::int64_t id) override;
  app::Task<std::optional<app::User>> Update(const Context& ctx, std::int64_t id,
                                             app::UserChanges changes) override;
  app::Task<app::Page> List(const Context& ctx, const app::UserQuery& query) override;
  app::Task<std::vector<app::User>> FindMany(const Context& ctx,
                                             const std::vector<std::int64_t>& ids) override;
  app::Task<std::optional<app::User>> SetRole(const Context& ctx, std::int64_t id,
                                              app::Role role) override;
  app::Task<std::optional<app::User>> SetActive(const Context& ctx, std::int64_t id,
                                                bool active) override;
  app::Task<bool> Delete(const Context& ctx, std::int64_t id) override;
  app::Task<domain::Stats> Stats(const Context& ctx) override;

 private:
  pg::Pool& pool_;
};

class PgRefreshTokenStore final : public app::RefreshTokenStore {
 public:
  explicit PgRefreshTokenStore(pg::Pool& pool) : pool_(pool) {}
  app::Task<void> Save(const Context& ctx, std::int64_t user_id, const std::string& token_hash,
                       std::chrono::seconds ttl) override;
  app::Task<std::optional<std::int64_t>> Rotate(const Context& ctx, const std::string& old_hash,
                                                const std::string& new_hash,
                                                std::chrono::seconds ttl) override;
  app::Task<void> Revoke(const Context& ctx, const std::string& token_hash) override;

 private:
  pg::Pool& pool_;
};

}  // namespace fo::user::adapters
