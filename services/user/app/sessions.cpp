#include "services/user/app/sessions.hpp"

#include "platform/auth/tokens.hpp"
#include "platform/errors/error.hpp"
#include "services/user/app/account_metrics.hpp"

namespace fo::user::app {

Task<Session> Sessions::Open(const Context& ctx, User user, std::string refresh_token) {
  (void)ctx;
  Session session;
  session.access = issuer_.Issue(user);
  session.refresh_token = std::move(refresh_token);
  session.refresh_ttl = refresh_ttl_;
  session.user = std::move(user);
  co_return session;
}

Task<Session> Sessions::Login(const Context& ctx, app::Login command) {
  auto found = co_await users_.FindCredentials(ctx, command.username);
  const std::string& hash = found ? found->second : dummy_hash_;
  const bool password_ok = co_await hashing_.Verify(std::move(command.password), hash);
  if (!found || !password_ok || !found->first.is_active) {
    CountLogin("rejected");
    throw Unauthenticated("invalid username or password");
  }
  auto refresh = auth::RandomToken();
  co_await tokens_.Save(ctx, found->first.id, auth::Sha256Hex(refresh), refresh_ttl_);
  auto session = co_await Open(ctx, std::move(found->first), std::move(refresh));
  CountLogin("succeeded");
  co_return session;
}

Task<Session> Sessions::Refresh(const Context& ctx, const std::string& refresh_token) {
  auto next = auth::RandomToken();
  auto owner = co_await tokens_.Rotate(ctx, auth::Sha256Hex(refresh_token), auth::Sha256Hex(next),
                                       refresh_ttl_);
  if (!owner) throw Unauthenticated("the refresh token is invalid, expired or already used");
  auto user = co_await users_.Find(ctx, *owner);
  if (!user || !user->is_active) {
    co_await tokens_.Revoke(ctx, auth::Sha256Hex(next));
    throw Unauthenticated("the account no longer exists or is inactive");
  }
  co_return co_await Open(ctx, std::move(*user), std::move(next));
}

Task<void> Sessions::Logout(const Context& ctx, const std::string& refresh_token) {
  co_await tokens_.Revoke(ctx, auth::Sha256Hex(refresh_token));
}

}  // namespace fo::user::app
