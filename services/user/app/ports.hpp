#pragma once
// What the use cases need from the outside world. Adapters implement these over PostgreSQL,
// libsodium and the JWT signer; unit tests implement them in memory.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/context/context.hpp"
#include "services/user/domain/user.hpp"

namespace fo::user::app {

template <typename T>
using Task = boost::asio::awaitable<T>;
using domain::Role;
using domain::User;

struct NewUser {
  std::string username;
  std::string email;  // normalized
  std::string full_name;
  std::string password_hash;
  Role role = Role::kUser;
};

struct UserChanges {  // absent fields stay as they are
  std::optional<std::string> email;
  std::optional<std::string> full_name;
  std::optional<std::string> password_hash;  // also revokes the refresh tokens
};

struct UserQuery {
  std::optional<Role> role;
  std::optional<bool> is_active;
  std::optional<std::string> search;  // substring of username or email
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

struct Page {
  std::vector<User> items;
  std::int64_t total = 0;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // Throws Conflict naming the field when the username or email is taken.
  virtual Task<User> Create(const Context& ctx, NewUser user) = 0;
  virtual Task<std::optional<User>> Find(const Context& ctx, std::int64_t id) = 0;
  // The user and their password hash, by username (for login).
  virtual Task<std::optional<std::pair<User, std::string>>> FindCredentials(
      const Context& ctx, const std::string& username) = 0;
  virtual Task<std::optional<std::string>> PasswordHash(const Context& ctx, std::int64_t id) = 0;
  virtual Task<std::optional<User>> Update(const Context& ctx, std::int64_t id,
                                           UserChanges changes) = 0;
  virtual Task<Page> List(const Context& ctx, const UserQuery& query) = 0;
  virtual Task<std::vector<User>> FindMany(const Context& ctx,
                                           const std::vector<std::int64_t>& ids) = 0;
  // These three refuse (Unprocessable) to leave no active admin, atomically, and revoke the
  // user's refresh tokens in the same transaction.
  virtual Task<std::optional<User>> SetRole(const Context& ctx, std::int64_t id, Role role) = 0;
  virtual Task<std::optional<User>> SetActive(const Context& ctx, std::int64_t id, bool active) = 0;
  virtual Task<bool> Delete(const Context& ctx, std::int64_t id) = 0;
  virtual Task<domain::Stats> Stats(const Context& ctx) = 0;
};

class RefreshTokenStore {
 public:
  virtual ~RefreshTokenStore() = default;
  virtual Task<void> Save(const Context& ctx, std::int64_t user_id, const std::string& token_hash,
                          std::chrono::seconds ttl) = 0;
  // Atomically consumes a live token and stores its successor; the owner's id, or nullopt when
  // the token is unknown, expired or already used.
  virtual Task<std::optional<std::int64_t>> Rotate(const Context& ctx, const std::string& old_hash,
                                                   const std::string& new_hash,
                                                   std::chrono::seconds ttl) = 0;
  virtual Task<void> Revoke(const Context& ctx, const std::string& token_hash) = 0;
};

class PasswordHashing {
 public:
  virtual ~PasswordHashing() = default;
  virtual Task<std::string> Hash(std::string password) = 0;
  virtual Task<bool> Verify(std::string password, std::string hash) = 0;
};

struct AccessToken {
  std::string token;
  std::int64_t expires_in = 0;  // seconds
};

class TokenIssuer {
 public:
  virtual ~TokenIssuer() = default;
  virtual AccessToken Issue(const User& user) = 0;
};

}  // namespace fo::user::app
