#include "platform/http/jwt_authenticator.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "platform/auth/jwt_signer.hpp"
#include "platform/http/json_body.hpp"

namespace fo::http {
namespace {

std::string NewKeyPem() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

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
  auth::JwtSigner signer =
      auth::JwtSigner::FromPem(NewKeyPem(), "k1", "iss", "aud", std::chrono::seconds(60));
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

TEST(CleanText, AcceptsUtf8AndRejectsNulAndMalformedSequences) {
  EXPECT_TRUE(IsCleanText(""));
  EXPECT_TRUE(IsCleanText("plain ascii"));
  EXPECT_TRUE(IsCleanText("\xC3\xA5 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // å € 😀
  EXPECT_FALSE(IsCleanText(std::string("a\0b", 3)));
  EXPECT_FALSE(IsCleanText("\xFF"));
  EXPECT_FALSE(IsCleanText("\xC3"));              // truncated
  EXPECT_FALSE(IsCleanText("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsCleanText("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(IsCleanText("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsCleanText("\xE2\x28\xA1"));      // bad continuation
}

}  // namespace
}  // namespace fo::http
