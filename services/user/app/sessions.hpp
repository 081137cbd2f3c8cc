#pragma once
// Login, refresh-token rotation and logout.
#include "services/user/app/commands.hpp"

namespace fo::user::app {

class Sessions {
 public:
  Sessions(UserRepository& users, RefreshTokenStore& tokens, PasswordHashing& hashing,
           TokenIssuer& issuer, std::chrono::seconds refresh_ttl, std::string dummy_hash)
      : users_(users),
        tokens_(tokens),
        hashing_(hashing),
        issuer_(issuer),
        refresh_ttl_(refresh_ttl),
        dummy_hash_(std::move(dummy_hash)) {}

  // Unknown user, wrong password and inactive account all fail the same way and take the same
  // time (a hash is verified in every case), so logins cannot enumerate accounts.
  Task<Session> Login(const Context& ctx, app::Login command);
  Task<Session> Refresh(const Context& ctx, const std::string& refresh_token);
  Task<void> Logout(const Context& ctx, const std::string& refresh_token);

 private:
  Task<Session> Open(const Context& ctx, User user, std::string refresh_token);

  UserRepository& users_;
  RefreshTokenStore& tokens_;
  PasswordHashing& hashing_;
  TokenIssuer& issuer_;
  std::chrono::seconds refresh_ttl_;
  std::string dummy_hash_;
};

}  // namespace fo::user::app
