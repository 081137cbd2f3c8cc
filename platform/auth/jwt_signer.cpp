#include "platform/auth/jwt_signer.hpp"

#include <jwt.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <new>
#include <stdexcept>

#include "platform/auth/detail/base64url.hpp"
#include "platform/auth/detail/ec_key.hpp"
#include "platform/auth/tokens.hpp"

namespace fo::auth {

// libjwt stores integer claims as `long`.
static_assert(sizeof(long) >= sizeof(std::int64_t), "libjwt integer claims would truncate");

struct JwtSigner::Impl {
  std::string private_pem;  // libjwt re-reads the PEM on every jwt_set_alg
  std::string kid, issuer, audience;
  std::chrono::seconds ttl{};
  std::string jwks, public_pem;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  // Best effort: do not leave the private key in freed memory.
  ~Impl() { sodium_memzero(private_pem.data(), private_pem.size()); }
};

namespace {

struct JwtFree {
  void operator()(jwt_t* jwt) const { jwt_free(jwt); }
};

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

void Check(int rc, const char* what) {
  if (rc == ENOMEM) throw std::bad_alloc();
  if (rc != 0) throw std::runtime_error(what);
}

void AddString(jwt_t* jwt, const char* name, const std::string& value) {
  if (!value.empty()) Check(jwt_add_grant(jwt, name, value.c_str()), "jwt_add_grant failed");
}

void AddTime(jwt_t* jwt, const char* name, std::int64_t value) {
  if (value != 0) {
    Check(jwt_add_grant_int(jwt, name, static_cast<long>(value)), "jwt_add_grant_int failed");
  }
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
  // Validate with OpenSSL up front: libjwt would only fail later, at the first Sign.
  const auto key = detail::LoadP256PrivateKey(private_key_pem);
  if (kid.empty() || issuer.empty() || audience.empty()) {
    throw std::invalid_argument("JwtSigner needs a kid, an issuer and an audience");
  }
  if (ttl <= std::chrono::seconds::zero()) throw std::invalid_argument("JwtSigner ttl must be > 0");
  auto impl = std::make_shared<Impl>();
  impl->private_pem = std::string(private_key_pem);
  impl->jwks = BuildJwks(detail::PublicPoint(key.get()), kid);
  impl->public_pem = detail::PublicKeyPem(key.get());
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
  jwt_t* raw = nullptr;
  Check(jwt_new(&raw), "jwt_new failed");
  std::unique_ptr<jwt_t, JwtFree> jwt(raw);
  AddString(raw, "sub", claims.sub);
  AddString(raw, "role", claims.role);
  AddString(raw, "iss", claims.iss);
  AddString(raw, "aud", claims.aud);
  AddString(raw, "jti", claims.jti);
  AddTime(raw, "iat", claims.iat);
  AddTime(raw, "nbf", claims.nbf);
  AddTime(raw, "exp", claims.exp);
  // libjwt writes "alg" and "typ":"JWT" itself; we add only the key id.
  Check(jwt_add_header(raw, "kid", impl_->kid.c_str()), "jwt_add_header failed");
  Check(jwt_set_alg(raw, JWT_ALG_ES256,
                    reinterpret_cast<const unsigned char*>(impl_->private_pem.data()),
                    static_cast<int>(impl_->private_pem.size())),
        "jwt_set_alg failed");
  // jwt_encode_str returns malloc'd memory (1.10 has no jwt_free_str).
  std::unique_ptr<char, decltype(&std::free)> token(jwt_encode_str(raw), &std::free);
  if (!token) throw std::runtime_error("libjwt could not sign the token");
  return std::string(token.get());
}

std::string JwtSigner::PublicJwks() const { return impl_->jwks; }

std::string JwtSigner::PublicPem() const { return impl_->public_pem; }

}  // namespace fo::auth
