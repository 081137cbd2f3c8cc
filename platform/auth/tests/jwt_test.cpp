#include "platform/auth/jwt.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>
#include <vector>

#include "platform/auth/detail/base64url.hpp"
#include "platform/auth/tests/test_keys.hpp"

namespace fo::auth {
namespace {

using std::chrono::seconds;
using test::NewEcP256Key;

constexpr char kIssuer[] = "fo-user";
constexpr char kAudience[] = "fo-api";

const test::KeyPair& Key() {
  static const auto key = NewEcP256Key();
  return key;
}

JwtSigner Signer(const test::KeyPair& key = Key(), std::string kid = "k1") {
  return JwtSigner::FromPem(key.private_pem, std::move(kid), kIssuer, kAudience, seconds(900));
}

JwtVerifier PemVerifier() {
  return JwtVerifier::FromPublicPem(Key().public_pem, kIssuer, kAudience);
}

std::int64_t Now() {
  return std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(JwtTest, SignThenVerifyRoundTripsClaims) {
  const auto token = Signer().Sign("42", "admin");
  const auto result = PemVerifier().Verify(token);
  ASSERT_TRUE(result) << ToString(result.error);
  const Claims& claims = *result.claims;
  EXPECT_EQ(claims.sub, "42");
  EXPECT_EQ(claims.role, "admin");
  EXPECT_EQ(claims.iss, kIssuer);
  EXPECT_EQ(claims.aud, kAudience);
  EXPECT_EQ(claims.jti.size(), 22u);  // 16 random bytes, base64url
  EXPECT_NEAR(static_cast<double>(claims.iat), static_cast<double>(Now()), 5);
  EXPECT_EQ(claims.nbf, claims.iat);
  EXPECT_EQ(claims.exp - claims.iat, 900);
}

TEST(JwtTest, HeaderIsEs256WithTypAndKid) {
  const auto token = Signer().Sign("42", "user");
  const auto header = detail::Base64UrlDecode(token.substr(0, token.find('.')));
  ASSERT_TRUE(header);
  const auto json = boost::json::parse(*header).as_object();
  EXPECT_EQ(json.at("alg"), "ES256");
  EXPECT_EQ(json.at("typ"), "JWT");
  EXPECT_EQ(json.at("kid"), "k1");
}

TEST(JwtTest, EachTokenHasItsOwnJti) {
  const auto signer = Signer();
  const auto verifier = PemVerifier();
  EXPECT_NE(verifier.Verify(signer.Sign("1", "user")).claims->jti,
            verifier.Verify(signer.Sign("1", "user")).claims->jti);
}

TEST(JwtTest, SignWithExplicitClaims) {
  Claims claims{"7", "user", kIssuer, kAudience, "jti-1", Now(), Now(), Now() + 60};
  const auto result = PemVerifier().Verify(Signer().Sign(claims));
  ASSERT_TRUE(result) << ToString(result.error);
  EXPECT_EQ(result.claims->jti, "jti-1");
  EXPECT_EQ(result.claims->exp, claims.exp);
}

TEST(JwtTest, JwksHasTheRightFields) {
  const auto jwks = boost::json::parse(Signer().PublicJwks()).as_object();
  const auto& keys = jwks.at("keys").as_array();
  ASSERT_EQ(keys.size(), 1u);
  const auto& key = keys[0].as_object();
  EXPECT_EQ(key.at("kty"), "EC");
  EXPECT_EQ(key.at("crv"), "P-256");
  EXPECT_EQ(key.at("kid"), "k1");
  EXPECT_EQ(key.at("use"), "sig");
  EXPECT_EQ(key.at("alg"), "ES256");
  for (const char* coordinate : {"x", "y"}) {
    const auto text = key.at(coordinate).as_string();
    EXPECT_EQ(text.size(), 43u) << coordinate;  // 32 bytes, no padding
    const auto bytes = detail::Base64UrlDecode(text);
    ASSERT_TRUE(bytes) << coordinate;
    EXPECT_EQ(bytes->size(), 32u) << coordinate;
  }
}

// Some JWK writers drop a coordinate's leading zero bytes (RFC 7518 wants all 32); such a key
// set must still work. About one key in 128 has one: search until one turns up.
TEST(JwtTest, JwksCoordinatesWithoutLeadingZerosAreAccepted) {
  for (int attempt = 0; attempt < 5000; ++attempt) {
    const auto key = test::NewEcP256Key();
    const auto signer = Signer(key);
    auto jwks = boost::json::parse(signer.PublicJwks()).as_object();
    auto& jwk = jwks.at("keys").as_array()[0].as_object();
    bool stripped = false;
    for (const char* coordinate : {"x", "y"}) {
      auto bytes = *detail::Base64UrlDecode(jwk.at(coordinate).as_string());
      if (bytes[0] != '\0') continue;
      bytes.erase(0, bytes.find_first_not_of('\0'));
      jwk[coordinate] = detail::Base64UrlEncode(bytes);
      stripped = true;
    }
    if (!stripped) continue;
    const auto verifier = JwtVerifier::FromJwks(boost::json::serialize(jwks), kIssuer, kAudience);
    EXPECT_TRUE(verifier.Verify(signer.Sign("7", "user")));
    return;
  }
  FAIL() << "no key with a leading zero coordinate in 5000 tries";
}

TEST(JwtTest, VerifierFromJwksVerifiesSignerTokens) {
  const auto signer = Signer();
  const auto verifier = JwtVerifier::FromJwks(signer.PublicJwks(), kIssuer, kAudience);
  const auto result = verifier.Verify(signer.Sign("42", "user"));
  ASSERT_TRUE(result) << ToString(result.error);
  EXPECT_EQ(result.claims->sub, "42");
}

TEST(JwtTest, VerifierFromSignerPublicPem) {
  const auto signer = Signer();
  const auto verifier = JwtVerifier::FromPublicPem(signer.PublicPem(), kIssuer, kAudience);
  EXPECT_TRUE(verifier.Verify(signer.Sign("42", "user")));
}

TEST(JwtTest, JwksPicksTheKeyByKid) {
  // Key rotation: the JWKS publishes the old and the new key, plus an RSA key we ignore.
  const auto old_signer = Signer(Key(), "old");
  const auto new_key = NewEcP256Key();
  const auto new_signer = Signer(new_key, "new");
  auto jwks = boost::json::parse(old_signer.PublicJwks()).as_object();
  auto& keys = jwks.at("keys").as_array();
  keys.push_back(boost::json::parse(new_signer.PublicJwks()).at("keys").at(0));
  keys.push_back(boost::json::object{{"kty", "RSA"}, {"kid", "rsa"}, {"n", "AQAB"}, {"e", "AQAB"}});
  const auto verifier = JwtVerifier::FromJwks(boost::json::serialize(jwks), kIssuer, kAudience);

  EXPECT_TRUE(verifier.Verify(old_signer.Sign("1", "user")));
  EXPECT_TRUE(verifier.Verify(new_signer.Sign("2", "user")));
  const auto unknown = Signer(new_key, "unknown").Sign("3", "user");
  EXPECT_EQ(verifier.Verify(unknown).error, VerifyError::kUnknownKey);
}

TEST(JwtTest, LeewayToleratesSmallClockSkew) {
  const auto signer = Signer();
  const auto verifier = PemVerifier();  // 30 s leeway
  Claims just_expired{"1", "user", kIssuer, kAudience, "", Now() - 100, 0, Now() - 10};
  EXPECT_TRUE(verifier.Verify(signer.Sign(just_expired)));
  Claims almost_valid{"1", "user", kIssuer, kAudience, "", Now(), Now() + 10, Now() + 100};
  EXPECT_TRUE(verifier.Verify(signer.Sign(almost_valid)));
}

TEST(JwtTest, VerifyAtAnExplicitTime) {
  const auto token = Signer().Sign("1", "user");
  const auto verifier = PemVerifier();
  const auto now = std::chrono::system_clock::now();
  EXPECT_TRUE(verifier.Verify(token, now + seconds(900)));
  EXPECT_EQ(verifier.Verify(token, now + seconds(931)).error, VerifyError::kExpired);
  EXPECT_EQ(verifier.Verify(token, now - seconds(31)).error, VerifyError::kNotYetValid);
}

TEST(JwtTest, AudienceArrayContainingOursIsAccepted) {
  // Our signer only writes a string aud; mint an array one with libjwt (same ES256 key).
  const auto payload = boost::json::serialize(boost::json::object{
      {"sub", "1"}, {"iss", kIssuer}, {"aud", {"other", kAudience}}, {"exp", Now() + 60}});
  const auto token = test::MintWithLibjwt(JWT_ALG_ES256, Key().private_pem, payload);
  EXPECT_TRUE(PemVerifier().Verify(token));
}

TEST(JwtTest, VerifyIsThreadSafe) {
  const auto token = Signer().Sign("42", "user");
  const auto verifier = PemVerifier();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) ok += verifier.Verify(token) ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 400);
}

TEST(JwtTest, BadKeysAreRejectedAtConstruction) {
  EXPECT_THROW(JwtSigner::FromPem("not a pem", "k", kIssuer, kAudience, seconds(60)),
               std::invalid_argument);
  EXPECT_THROW(
      JwtSigner::FromPem(test::NewRsaKey().private_pem, "k", kIssuer, kAudience, seconds(60)),
      std::invalid_argument);
  EXPECT_THROW(JwtSigner::FromPem(Key().private_pem, "", kIssuer, kAudience, seconds(60)),
               std::invalid_argument);
  EXPECT_THROW(JwtVerifier::FromPublicPem(Key().private_pem, kIssuer, kAudience),
               std::invalid_argument);
  EXPECT_THROW(JwtVerifier::FromPublicPem(test::NewRsaKey().public_pem, kIssuer, kAudience),
               std::invalid_argument);
  EXPECT_THROW(JwtVerifier::FromJwks("{", kIssuer, kAudience), std::invalid_argument);
  EXPECT_THROW(JwtVerifier::FromJwks(R"({"keys":[]})", kIssuer, kAudience), std::invalid_argument);
  // x/y that are not a point on P-256.
  const std::string ones = detail::Base64UrlEncode(std::string(32, '\x01'));
  const auto off_curve =
      R"({"keys":[{"kty":"EC","crv":"P-256","x":")" + ones + R"(","y":")" + ones + R"("}]})";
  EXPECT_THROW(JwtVerifier::FromJwks(off_curve, kIssuer, kAudience), std::invalid_argument);
}

TEST(JwtTest, ErrorNamesAreStable) {
  EXPECT_EQ(ToString(VerifyError::kBadAlgorithm), "bad_algorithm");
  EXPECT_EQ(ToString(VerifyError::kMissingClaim), "missing_claim");
}

}  // namespace
}  // namespace fo::auth
