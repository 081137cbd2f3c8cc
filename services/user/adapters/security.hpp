#pragma once
// The use cases' hashing and token ports over platform/auth.
#include "platform/auth/jwt.hpp"
#include "platform/auth/password_hasher.hpp"
#include "services/user/app/ports.hpp"

namespace fo::user::adapters {

class Argon2Hashing final : public app::PasswordHashing {
 public:
  explicit Argon2Hashing(auth::PasswordHasher& hasher) : hasher_(hasher) {}
  app::Task<std::string> Hash(std::string password) override;
  app::Task<bool> Verify(std::string password, std::string hash) override;

 private:
  auth::PasswordHasher& hasher_;
};

class JwtIssuer final : public app::TokenIssuer {
 public:
  JwtIssuer(const auth::JwtSigner& signer, std::chrono::seconds ttl) : signer_(signer), ttl_(ttl) {}
  app::AccessToken Issue(const app::User& user) override;

 private:
  const auth::JwtSigner& signer_;
  std::chrono::seconds ttl_;
};

}  // namespace fo::user::adapters
