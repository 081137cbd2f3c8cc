#include "platform/auth/verified_token_cache.hpp"

#include <gtest/gtest.h>

#include "platform/auth/jwt_signer.hpp"
#include "platform/auth/tests/test_keys.hpp"

namespace fo::auth {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::system_clock;

class VerifiedTokenCacheTest : public ::testing::Test {
 protected:
  test::KeyPair key = test::NewEcP256Key();
  JwtSigner signer = JwtSigner::FromPem(key.private_pem, "k1", "iss", "aud", seconds(60));
  JwtVerifier verifier = JwtVerifier::FromPublicPem(key.public_pem, "iss", "aud", seconds(30));
};

TEST_F(VerifiedTokenCacheTest, AnswersLikeTheVerifier) {
  VerifiedTokenCache cache(verifier);
  const auto token = signer.Sign("7", "user");
  for (int i = 0; i < 3; ++i) {  // first a miss, then hits
    auto result = cache.Verify(token);
    ASSERT_TRUE(result);
    EXPECT_EQ(result.claims->sub, "7");
  }
  auto tampered = token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(cache.Verify(tampered));
  EXPECT_FALSE(cache.Verify("garbage"));
}

TEST_F(VerifiedTokenCacheTest, ACachedTokenStillExpiresOnTime) {
  VerifiedTokenCache cache(verifier);
  const auto token = signer.Sign("7", "user");  // exp = now + 60
  const auto now = Clock::now();
  ASSERT_TRUE(cache.Verify(token, now));
  EXPECT_TRUE(cache.Verify(token, now + seconds(60 + 29)));  // within the leeway
  auto late = cache.Verify(token, now + seconds(60 + 31));
  EXPECT_FALSE(late);
  EXPECT_EQ(late.error, VerifyError::kExpired);
}

TEST_F(VerifiedTokenCacheTest, StaysBounded) {
  VerifiedTokenCache cache(verifier, /*capacity=*/32);
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(cache.Verify(signer.Sign(std::to_string(i + 1), "user")));
    ASSERT_LE(cache.Size(), 32u);
  }
  EXPECT_GT(cache.Size(), 0u);
  const auto token = signer.Sign("9999", "user");
  EXPECT_TRUE(cache.Verify(token));
}

}  // namespace
}  // namespace fo::auth
