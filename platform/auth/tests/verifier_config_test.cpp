#include "platform/auth/verifier_config.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "platform/auth/jwt_signer.hpp"
#include "platform/auth/tests/test_keys.hpp"
#include "platform/config/env.hpp"

namespace fo::auth {
namespace {

class VerifierFromEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"JWT_JWKS", "JWT_JWKS_FILE", "JWT_PUBLIC_KEY", "JWT_PUBLIC_KEY_FILE",
                             "JWT_ISSUER", "JWT_AUDIENCE"}) {
      ::unsetenv(name);
    }
  }
  void TearDown() override { SetUp(); }
};

TEST_F(VerifierFromEnvTest, RefusesToStartWithoutAKey) {
  EXPECT_THROW(VerifierFromEnv(), config::ConfigError);
}

TEST_F(VerifierFromEnvTest, RejectsAKeyThatDoesNotParse) {
  ::setenv("JWT_PUBLIC_KEY", "not a pem", 1);
  EXPECT_THROW(VerifierFromEnv(), config::ConfigError);
}

TEST_F(VerifierFromEnvTest, VerifiesTokensOfTheUserServiceWithItsDefaults) {
  const auto key = test::NewEcP256Key();
  auto signer = JwtSigner::FromPem(key.private_pem, "user-1", kDefaultIssuer, kDefaultAudience,
                                   std::chrono::seconds(60));
  const auto token = signer.Sign("7", "user");
  for (bool use_jwks : {false, true}) {
    SetUp();
    if (use_jwks) {
      ::setenv("JWT_JWKS", signer.PublicJwks().c_str(), 1);
    } else {
      ::setenv("JWT_PUBLIC_KEY", key.public_pem.c_str(), 1);
    }
    EXPECT_TRUE(static_cast<bool>(VerifierFromEnv().Verify(token))) << "jwks=" << use_jwks;
    ::setenv("JWT_AUDIENCE", "someone-else", 1);
    EXPECT_FALSE(static_cast<bool>(VerifierFromEnv().Verify(token))) << "jwks=" << use_jwks;
  }
}

}  // namespace
}  // namespace fo::auth
