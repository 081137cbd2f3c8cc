#include "platform/http/jwt_authenticator.hpp"

#include <gtest/gtest.h>

#include "platform/auth/jwt_signer.hpp"
#include "platform/auth/tests/test_keys.hpp"

namespace fo::http {
namespace {

class JwtAuthenticatorTest : public ::testing::Test {
 protected:
  auth::Claims Valid() {
    auth::Claims c;
    c.sub = "42";
    c.role = "admin";
    c.iss = "iss";
    c.aud = "aud";
    c.jti = "j1";
    c.iat = c.nbf = std::time(nullptr);
    c.exp = c.iat + 60;
    return c;
  }
  auth::JwtSigner signer = auth::JwtSigner::FromPem(auth::test::NewEcP256Key().private_pem, "k1",
                                                    "iss", "aud", std::chrono::seconds(60));
  auth::JwtVerifier verifier = auth::JwtVerifier::FromJwks(signer.PublicJwks(), "iss", "aud");
};

TEST_F(JwtAuthenticatorTest, AcceptsAWellFormedToken) {
  auto principal = MakeJwtAuthenticator(verifier)(signer.Sign(Valid()));
  ASSERT_TRUE(principal);
  EXPECT_EQ(principal->user_id, 42);
  EXPECT_TRUE(principal->IsAdmin());
  EXPECT_EQ(principal->token_id, "j1");
}

TEST_F(JwtAuthenticatorTest, RejectsSignedTokensWithUnusableClaims) {
  for (const char* sub : {"abc", "0", "-1", "99999999999999999999999", "42x", ""}) {
    auto claims = Valid();
    claims.sub = sub;
    EXPECT_FALSE(PrincipalFromToken(verifier, signer.Sign(claims))) << sub;
  }
  auto claims = Valid();
  claims.role = "superuser";
  EXPECT_FALSE(PrincipalFromToken(verifier, signer.Sign(claims)));
  claims = Valid();
  claims.jti.clear();
  EXPECT_FALSE(PrincipalFromToken(verifier, signer.Sign(claims)));
  EXPECT_FALSE(PrincipalFromToken(verifier, "not.a.token"));
}

}  // namespace
}  // namespace fo::http
