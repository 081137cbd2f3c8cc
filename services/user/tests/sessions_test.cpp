#include "services/user/app/sessions.hpp"

#include <gtest/gtest.h>

#include "platform/errors/error.hpp"
#include "platform/testing/run.hpp"
#include "services/user/app/accounts.hpp"
#include "services/user/tests/fakes.hpp"

namespace fo::user::app {
namespace {
using namespace fo::user::testing;

class SessionsTest : public ::testing::Test {
 protected:
  template <typename T>
  T Run(boost::asio::awaitable<T> work) {
    return fo::testing::RunIn(io, std::move(work));
  }
  ErrorKind FailureOf(boost::asio::awaitable<Session> work) {
    return fo::testing::FailureIn(io, std::move(work)).kind();
  }

  boost::asio::io_context io;
  Context ctx;
  FakeUsers users;
  FakeTokens tokens;
  FakeHashing hashing;
  FakeIssuer issuer;
  Accounts accounts{users, hashing};
  Sessions sessions{users, tokens, hashing, issuer, std::chrono::hours(1), "hashed:dummy-x"};
};

TEST_F(SessionsTest, LoginIssuesTokensAndStoresOnlyAHashOfTheRefreshToken) {
  Run(accounts.Register(ctx, {"ann", "Ann@Example.com", "password1", "Ann"}));
  auto session = Run(sessions.Login(ctx, {"ann", "password1"}));
  EXPECT_EQ(session.access.token, "token-for-1");
  EXPECT_EQ(session.user.email, "ann@example.com");
  ASSERT_EQ(tokens.live.size(), 1u);
  EXPECT_EQ(tokens.live.count(session.refresh_token), 0u);  // stored hashed, never raw
}

TEST_F(SessionsTest, EveryLoginFailureLooksTheSameAndCostsAVerification) {
  Run(accounts.Register(ctx, {"ann", "ann@example.com", "password1", ""}));
  Run(accounts.Register(ctx, {"bob", "bob@example.com", "password2", ""}));
  Run(users.SetActive(ctx, 2, false));
  for (auto [name, password] : {std::pair{"nobody", "password1"}, std::pair{"ann", "wrong-pass"},
                                std::pair{"bob", "password2"}}) {
    const int before = hashing.verifications;
    EXPECT_EQ(FailureOf(sessions.Login(ctx, {name, password})), ErrorKind::kUnauthenticated);
    EXPECT_EQ(hashing.verifications, before + 1) << name;
  }
}

TEST_F(SessionsTest, RefreshRotatesAndAUsedTokenIsDead) {
  Run(accounts.Register(ctx, {"ann", "ann@example.com", "password1", ""}));
  auto first = Run(sessions.Login(ctx, {"ann", "password1"}));
  auto second = Run(sessions.Refresh(ctx, first.refresh_token));
  EXPECT_NE(second.refresh_token, first.refresh_token);
  EXPECT_EQ(FailureOf(sessions.Refresh(ctx, first.refresh_token)), ErrorKind::kUnauthenticated);
  Run(sessions.Logout(ctx, second.refresh_token));
  EXPECT_EQ(FailureOf(sessions.Refresh(ctx, second.refresh_token)), ErrorKind::kUnauthenticated);
}

TEST_F(SessionsTest, RefreshFailsForADeactivatedAccount) {
  Run(accounts.Register(ctx, {"ann", "ann@example.com", "password1", ""}));
  auto session = Run(sessions.Login(ctx, {"ann", "password1"}));
  Run(users.SetActive(ctx, 1, false));
  EXPECT_EQ(FailureOf(sessions.Refresh(ctx, session.refresh_token)), ErrorKind::kUnauthenticated);
  EXPECT_TRUE(tokens.live.empty());
}

TEST_F(SessionsTest, PasswordChangeNeedsTheCurrentPassword) {
  Run(accounts.Register(ctx, {"ann", "ann@example.com", "password1", ""}));
  UpdateProfile change;
  change.password = "password2";
  EXPECT_THROW(Run(accounts.UpdateMe(ctx, 1, change)), Error);
  change.current_password = "wrong";
  EXPECT_THROW(Run(accounts.UpdateMe(ctx, 1, change)), Error);
  change.current_password = "password1";
  Run(accounts.UpdateMe(ctx, 1, change));
  EXPECT_NO_THROW(Run(sessions.Login(ctx, {"ann", "password2"})));
}

}  // namespace
}  // namespace fo::user::app
