#pragma once
// In-memory ports for use-case tests.
#include <map>

#include "platform/errors/error.hpp"
#include "services/user/app/ports.hpp"

namespace fo::user::testing {

using app::Task;

class FakeUsers final : public app::UserRepository {
 public:
  std::map<std::int64_t, std::pair<app::User, std::string>> rows;
  std::int64_t next_id = 1;

  Task<app::User> Create(const Context&, app::NewUser u) override {
    for (auto& [id, row] : rows) {
      if (row.first.username == u.username) throw Conflict("username taken");
      if (row.first.email == u.email) throw Conflict("email taken");
    }
    app::User user{next_id++, u.username, u.email, u.full_name, u.role, true, "t", "t"};
    rows[user.id] = {user, u.password_hash};
    co_return user;
  }
  Task<std::optional<app::User>> Find(const Context&, std::int64_t id) override {
    auto it = rows.find(id);
    if (it == rows.end()) co_return std::nullopt;
    co_return it->second.first;
  }
  Task<std::optional<std::pair<app::User, std::string>>> FindCredentials(
      const Context&, const std::string& username) override {
    for (auto& [id, row] : rows) {
      if (row.first.username == username) co_return row;
    }
    co_return std::nullopt;
  }
  Task<std::optional<std::string>> PasswordHash(const Context&, std::int64_t id) override {
    auto it = rows.find(id);
    if (it == rows.end()) co_return std::nullopt;
    co_return it->second.second;
  }
  Task<std::optional<app::User>> Update(const Context&, std::int64_t id,
                                        app::UserChanges c) override {
    auto it = rows.find(id);
    if (it == rows.end()) co_return std::nullopt;
    if (c.email) it->second.first.email = *c.email;
    if (c.full_name) it->second.first.full_name = *c.full_name;
    if (c.password_hash) it->second.second = *c.password_hash;
    co_return it->second.first;
  }
  Task<app::Page> List(const Context&, const app::UserQuery&) override { co_return app::Page{}; }
  Task<std::vector<app::User>> FindMany(const Context&, const std::vector<std::int64_t>&) override {
    co_return std::vector<app::User>{};
  }
  Task<std::optional<app::User>> SetRole(const Context&, std::int64_t id, app::Role r) override {
    auto it = rows.find(id);
    if (it == rows.end()) co_return std::nullopt;
    it->second.first.role = r;
    co_return it->second.first;
  }
  Task<std::optional<app::User>> SetActive(const Context&, std::int64_t id, bool a) override {
    auto it = rows.find(id);
    if (it == rows.end()) co_return std::nullopt;
    it->second.first.is_active = a;
    co_return it->second.first;
  }
  Task<bool> Delete(const Context&, std::int64_t id) override { co_return rows.erase(id) > 0; }
  Task<domain::Stats> Stats(const Context&) override { co_return domain::Stats{}; }
};

class FakeTokens final : public app::RefreshTokenStore {
 public:
  std::map<std::string, std::int64_t> live;
  Task<void> Save(const Context&, std::int64_t user, const std::string& hash,
                  std::chrono::seconds) override {
    live[hash] = user;
    co_return;
  }
  Task<std::optional<std::int64_t>> Rotate(const Context&, const std::string& old_hash,
                                           const std::string& new_hash,
                                           std::chrono::seconds) override {
    auto it = live.find(old_hash);
    if (it == live.end()) co_return std::nullopt;
    auto user = it->second;
    live.erase(it);
    live[new_hash] = user;
    co_return user;
  }
  Task<void> Revoke(const Context&, const std::string& hash) override {
    live.erase(hash);
    co_return;
  }
};

// "Hashes" by prefixing; counts verifications so tests can see timing-equalising work.
class FakeHashing final : public app::PasswordHashing {
 public:
  int verifications = 0;
  Task<std::string> Hash(std::string password) override { co_return "hashed:" + password; }
  Task<bool> Verify(std::string password, std::string hash) override {
    ++verifications;
    co_return hash == "hashed:" + password;
  }
};

class FakeIssuer final : public app::TokenIssuer {
 public:
  app::AccessToken Issue(const app::User& user) override {
    return {"token-for-" + std::to_string(user.id), 900};
  }
};

}  // namespace fo::user::testing
