#include "services/user/adapters/security.hpp"

#include "platform/errors/error.hpp"

namespace fo::user::adapters {

app::Task<std::string> Argon2Hashing::Hash(std::string password) {
  try {
    co_return co_await hasher_.Hash(std::move(password));
  } catch (const auth::Overloaded&) {
    throw Error(ErrorKind::kOverloaded, "too many password operations at once; retry shortly");
  }
}

app::Task<bool> Argon2Hashing::Verify(std::string password, std::string hash) {
  try {
    co_return co_await hasher_.Verify(std::move(password), std::move(hash));
  } catch (const auth::Overloaded&) {
    throw Error(ErrorKind::kOverloaded, "too many password operations at once; retry shortly");
  }
}

app::AccessToken JwtIssuer::Issue(const app::User& user) {
  return {signer_.Sign(std::to_string(user.id), domain::ToString(user.role)), ttl_.count()};
}

}  // namespace fo::user::adapters
