#include "platform/auth/jwt_signer.hpp"

#include <sodium.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <new>
#include <stdexcept>

#include "platform/auth/detail/base64url.hpp"
#include "platform/auth/detail/ec_key.hpp"
#include "platform/auth/tokens.hpp"

namespace fo::auth {

// Signing uses OpenSSL with the key parsed once: libjwt 1.10 re-parses the PEM on every token
// (~0.4 ms), which a login pays on an I/O thread. An EVP_PKEY is safe to share for signing.
struct JwtSigner::Impl {
  detail::PkeyPtr key;
  std::string kid, issuer, audience;
  std::chrono::seconds ttl{};
  std::string jwks, public_pem;
  std::string encoded_header;  // base64url of {"alg":"ES256","typ":"JWT","kid":...}
};

namespace {

std::string BuildJwks(const detail::P256Point& point, const std::string& kid) {
  auto coordinate = [](const auto& bytes) {
    return detail::Base64UrlEncode(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  };
  boost::json::object key{{"kty", "EC"},
                          {"crv", "P-256"},
                          {"x", coordinate(point.x)},
                          {"y", coordinate(point.y)},
                          {"kid", kid},
                          {"use", "sig"},
                          {"alg", "ES256"}};
  return boost::json::serialize(boost::json::object{{"keys", boost::json::array{key}}});
}

void AddString(boost::json::object& payload, const char* name, const std::string& value) {
  if (!value.empty()) payload[name] = value;
}

void AddTime(boost::json::object& payload, const char* name, std::int64_t value) {
  if (value != 0) payload[name] = value;
}

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

JwtSigner::JwtSigner(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

JwtSigner JwtSigner::FromPem(std::string_view private_key_pem, std::string kid, std::string issuer,
                             std::string audience, std::chrono::seconds ttl) {
  auto key = detail::LoadP256PrivateKey(private_key_pem);
  if (kid.empty() || issuer.empty() || audience.empty()) {
    throw std::invalid_argument("JwtSigner needs a kid, an issuer and an audience");
  }
  if (ttl <= std::chrono::seconds::zero()) throw std::invalid_argument("JwtSigner ttl must be > 0");
  auto impl = std::make_shared<Impl>();
  impl->jwks = BuildJwks(detail::PublicPoint(key.get()), kid);
  impl->public_pem = detail::PublicKeyPem(key.get());
  impl->key = std::move(key);
  impl->encoded_header = detail::Base64UrlEncode(
      boost::json::serialize(boost::json::object{{"alg", "ES256"}, {"typ", "JWT"}, {"kid", kid}}));
  impl->kid = std::move(kid);
  impl->issuer = std::move(issuer);
  impl->audience = std::move(audience);
  impl->ttl = ttl;
  return JwtSigner(std::move(impl));
}

std::string JwtSigner::Sign(std::string_view subject, std::string_view role) const {
  Claims claims;
  claims.sub = subject;
  claims.role = role;
  claims.iss = impl_->issuer;
  claims.aud = impl_->audience;
  claims.jti = RandomToken(16);
  claims.iat = UnixNow();
  claims.nbf = claims.iat;
  claims.exp = claims.iat + impl_->ttl.count();
  return Sign(claims);
}

std::string JwtSigner::Sign(const Claims& claims) const {
  boost::json::object payload;
  AddString(payload, "sub", claims.sub);
  AddString(payload, "role", claims.role);
  AddString(payload, "iss", claims.iss);
  AddString(payload, "aud", claims.aud);
  AddString(payload, "jti", claims.jti);
  AddTime(payload, "iat", claims.iat);
  AddTime(payload, "nbf", claims.nbf);
  AddTime(payload, "exp", claims.exp);
  std::string token = impl_->encoded_header;
  token += '.';
  token += detail::Base64UrlEncode(boost::json::serialize(payload));
  const auto signature = detail::SignEs256(impl_->key.get(), token);
  token += '.';
  token += detail::Base64UrlEncode(signature);
  return token;
}

std::string JwtSigner::PublicJwks() const { return impl_->jwks; }

std::string JwtSigner::PublicPem() const { return impl_->public_pem; }

}  // namespace fo::auth
