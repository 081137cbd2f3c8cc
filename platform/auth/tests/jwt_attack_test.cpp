// Each test forges a token the way an attacker would and expects the precise VerifyError.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "platform/auth/detail/base64url.hpp"
#include "platform/auth/jwt.hpp"
#include "platform/auth/tests/test_keys.hpp"

namespace fo::auth {
namespace {

using std::chrono::seconds;

constexpr char kIssuer[] = "fo-user";
constexpr char kAudience[] = "fo-api";

std::int64_t Now() {
  return std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class JwtAttackTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    key_ = new test::KeyPair(test::NewEcP256Key());
    rsa_ = new test::KeyPair(test::NewRsaKey());
  }
  static void TearDownTestSuite() {
    delete key_;
    delete rsa_;
  }

  static Claims Valid() {
    return Claims{"42", "user", kIssuer, kAudience, "j", Now(), Now(), Now() + 300};
  }
  // A well-formed payload an attacker would like accepted.
  static std::string AdminPayload() {
    return boost::json::serialize(boost::json::object{{"sub", "1"},
                                                      {"role", "admin"},
                                                      {"iss", kIssuer},
                                                      {"aud", kAudience},
                                                      {"exp", Now() + 300}});
  }

  VerifyError Rejection(const std::string& token) const {
    const auto result = verifier_.Verify(token);
    EXPECT_FALSE(result) << "accepted: " << token;
    return result.error;
  }

  static test::KeyPair* key_;
  static test::KeyPair* rsa_;
  JwtSigner signer_ = JwtSigner::FromPem(key_->private_pem, "k1", kIssuer, kAudience, seconds(300));
  JwtVerifier verifier_ = JwtVerifier::FromPublicPem(key_->public_pem, kIssuer, kAudience);
};

test::KeyPair* JwtAttackTest::key_ = nullptr;
test::KeyPair* JwtAttackTest::rsa_ = nullptr;

TEST_F(JwtAttackTest, Expired) {
  auto claims = Valid();
  claims.exp = Now() - 31;  // just past the 30 s leeway
  EXPECT_EQ(Rejection(signer_.Sign(claims)), VerifyError::kExpired);
}

TEST_F(JwtAttackTest, NotYetValid) {
  auto claims = Valid();
  claims.nbf = Now() + 120;
  EXPECT_EQ(Rejection(signer_.Sign(claims)), VerifyError::kNotYetValid);
}

TEST_F(JwtAttackTest, WrongIssuer) {
  auto claims = Valid();
  claims.iss = "evil";
  EXPECT_EQ(Rejection(signer_.Sign(claims)), VerifyError::kWrongIssuer);
}

TEST_F(JwtAttackTest, WrongAudience) {
  auto claims = Valid();
  claims.aud = "other-api";
  EXPECT_EQ(Rejection(signer_.Sign(claims)), VerifyError::kWrongAudience);
  const auto payload = boost::json::serialize(boost::json::object{
      {"sub", "1"}, {"iss", kIssuer}, {"aud", {"a", "b"}}, {"exp", Now() + 60}});
  EXPECT_EQ(Rejection(test::MintWithLibjwt(JWT_ALG_ES256, key_->private_pem, payload)),
            VerifyError::kWrongAudience);
}

TEST_F(JwtAttackTest, MissingClaims) {
  auto claims = Valid();
  claims.sub.clear();
  EXPECT_EQ(Rejection(signer_.Sign(claims)), VerifyError::kMissingClaim);
  claims = Valid();
  claims.exp = 0;  // a token that never expires is not an access token
  EXPECT_EQ(Rejection(signer_.Sign(claims)), VerifyError::kMissingClaim);
}

TEST_F(JwtAttackTest, AlgNone) {
  // Unsigned token with an empty signature segment, as libjwt writes it.
  const auto token = test::MintWithLibjwt(JWT_ALG_NONE, "", AdminPayload());
  ASSERT_EQ(token.back(), '.');
  EXPECT_EQ(Rejection(token), VerifyError::kBadAlgorithm);
  EXPECT_EQ(Rejection(test::Compact(R"({"alg":"none"})", AdminPayload(), "")),
            VerifyError::kBadAlgorithm);
  EXPECT_EQ(Rejection(test::Compact(R"({"typ":"JWT"})", AdminPayload(), "")),
            VerifyError::kBadAlgorithm);
}

TEST_F(JwtAttackTest, Hs256KeyedWithThePublicKeyPem) {
  // Algorithm confusion: the HMAC key is our public key, which anyone can fetch.
  const auto token = test::MintWithLibjwt(JWT_ALG_HS256, key_->public_pem, AdminPayload());
  // libjwt 1.10 itself accepts this token with the public key (the documented pitfall), so the
  // attack is real and only our own alg check stops it.
  jwt_t* decoded = nullptr;
  EXPECT_EQ(jwt_decode(&decoded, token.c_str(),
                       reinterpret_cast<const unsigned char*>(key_->public_pem.data()),
                       static_cast<int>(key_->public_pem.size())),
            0);
  jwt_free(decoded);
  EXPECT_EQ(Rejection(token), VerifyError::kBadAlgorithm);
}

TEST_F(JwtAttackTest, Rs256SignedByAnotherKey) {
  EXPECT_EQ(Rejection(test::MintWithLibjwt(JWT_ALG_RS256, rsa_->private_pem, AdminPayload())),
            VerifyError::kBadAlgorithm);
}

TEST_F(JwtAttackTest, OtherAlgorithmSpellings) {
  for (const char* alg : {"es256", "ES384", "ES256 ", "HS256"}) {
    const auto header = boost::json::serialize(boost::json::object{{"alg", alg}});
    EXPECT_EQ(Rejection(test::Compact(header, AdminPayload(), std::string(64, 'x'))),
              VerifyError::kBadAlgorithm)
        << alg;
  }
}

TEST_F(JwtAttackTest, SignedByADifferentEcKey) {
  const auto other = test::NewEcP256Key();
  const auto forger = JwtSigner::FromPem(other.private_pem, "k1", kIssuer, kAudience, seconds(60));
  EXPECT_EQ(Rejection(forger.Sign("1", "admin")), VerifyError::kBadSignature);
}

TEST_F(JwtAttackTest, TamperedPayload) {
  const auto token = signer_.Sign("42", "user");
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  const auto tampered =
      token.substr(0, first + 1) + detail::Base64UrlEncode(AdminPayload()) + token.substr(second);
  EXPECT_EQ(Rejection(tampered), VerifyError::kBadSignature);
}

TEST_F(JwtAttackTest, BadSignatureEncodings) {
  const auto token = signer_.Sign("42", "user");
  const auto body = token.substr(0, token.rfind('.') + 1);
  const auto signature = *detail::Base64UrlDecode(token.substr(token.rfind('.') + 1));
  ASSERT_EQ(signature.size(), 64u);                        // raw r||s, as RFC 7518 requires
  EXPECT_EQ(Rejection(body), VerifyError::kBadSignature);  // stripped
  EXPECT_EQ(Rejection(body + detail::Base64UrlEncode(signature.substr(0, 63))),
            VerifyError::kBadSignature);
  auto flipped = signature;
  flipped[10] = static_cast<char>(flipped[10] ^ 1);
  EXPECT_EQ(Rejection(body + detail::Base64UrlEncode(flipped)), VerifyError::kBadSignature);
  EXPECT_EQ(Rejection(body + detail::Base64UrlEncode(std::string(64, '\0'))),
            VerifyError::kBadSignature);
}

TEST_F(JwtAttackTest, GarbageIsMalformed) {
  const auto token = signer_.Sign("42", "user");
  const auto payload = detail::Base64UrlEncode(AdminPayload());
  const std::string header = detail::Base64UrlEncode(R"({"alg":"ES256"})");
  for (const std::string& bad : {
           std::string(),
           std::string("garbage"),
           std::string("a.b"),
           token + ".extra",               // four segments
           "!!!." + payload + ".sig",      // not base64url
           header + "=." + payload + ".",  // padding is not allowed
           detail::Base64UrlEncode("not json") + "." + payload + ".",
           detail::Base64UrlEncode("[1,2]") + "." + payload + ".",
           detail::Base64UrlEncode(R"({"alg":"ES256","crit":["b64"]})") + "." + payload + ".",
           std::string(9000, 'a'),
       }) {
    EXPECT_EQ(Rejection(bad), VerifyError::kMalformed) << bad.substr(0, 60);
  }
}

TEST_F(JwtAttackTest, WellSignedButMalformedPayload) {
  // Signed with our key, so only the payload checks can catch it.
  const auto token =
      test::MintWithLibjwt(JWT_ALG_ES256, key_->private_pem,
                           R"({"sub":42,"iss":"fo-user","aud":"fo-api","exp":9999999999})");
  EXPECT_EQ(Rejection(token), VerifyError::kMalformed);
}

TEST_F(JwtAttackTest, LibjwtAloneDoesNotCheckExpiry) {
  // Why Verify checks exp itself: libjwt 1.10 decodes an expired token without complaint.
  auto claims = Valid();
  claims.exp = Now() - 3600;
  const auto token = signer_.Sign(claims);
  jwt_t* decoded = nullptr;
  EXPECT_EQ(jwt_decode(&decoded, token.c_str(),
                       reinterpret_cast<const unsigned char*>(key_->public_pem.data()),
                       static_cast<int>(key_->public_pem.size())),
            0);
  jwt_free(decoded);
  EXPECT_EQ(Rejection(token), VerifyError::kExpired);
}

}  // namespace
}  // namespace fo::auth
