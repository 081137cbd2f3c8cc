#include "platform/auth/jwt_verifier.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

#include "platform/auth/detail/base64url.hpp"
#include "platform/auth/detail/claims_json.hpp"
#include "platform/auth/detail/ec_key.hpp"

namespace fo::auth {

namespace {

// Access tokens are a few hundred bytes; bound the work an attacker can make us do.
constexpr std::size_t kMaxTokenSize = 8192;

struct KeyEntry {
  std::string kid;  // empty for a verifier built from a single PEM
  detail::PkeyPtr key;
};

VerifyResult Fail(VerifyError error) { return VerifyResult{std::nullopt, error}; }

struct Segments {
  std::string_view header, payload, signature, signing_input;
};

std::optional<Segments> Split(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return Segments{token.substr(0, first), token.substr(first + 1, second - first - 1),
                  token.substr(second + 1), token.substr(0, second)};
}

}  // namespace

struct JwtVerifier::Impl {
  std::vector<KeyEntry> keys;
  std::string issuer, audience;
  std::chrono::seconds leeway{};

  // A token without kid is accepted only when there is no choice to make.
  EVP_PKEY* Find(const std::optional<std::string>& kid) const {
    if (keys.size() == 1 && (!kid || keys.front().kid.empty() || keys.front().kid == *kid)) {
      return keys.front().key.get();
    }
    if (!kid) return nullptr;
    const auto it =
        std::find_if(keys.begin(), keys.end(), [&](const KeyEntry& e) { return e.kid == *kid; });
    return it == keys.end() ? nullptr : it->key.get();
  }

  static std::shared_ptr<Impl> Create(std::string expected_issuer, std::string expected_audience,
                                      std::chrono::seconds clock_leeway) {
    if (expected_issuer.empty() || expected_audience.empty()) {
      throw std::invalid_argument("JwtVerifier needs an issuer and an audience");
    }
    if (clock_leeway < std::chrono::seconds::zero()) throw std::invalid_argument("negative leeway");
    auto impl = std::make_shared<Impl>();
    impl->issuer = std::move(expected_issuer);
    impl->audience = std::move(expected_audience);
    impl->leeway = clock_leeway;
    return impl;
  }
};

namespace {

// Reads one JWKS entry; nullopt for keys we do not use (other types, curves, or uses).
std::optional<KeyEntry> ReadJwk(const boost::json::value& value) {
  const auto* jwk = value.if_object();
  if (!jwk) throw std::invalid_argument("JWKS key is not an object");
  auto text = [&](std::string_view name) -> std::string_view {
    const auto* field = jwk->if_contains(name);
    return field && field->is_string() ? std::string_view(field->get_string()) : "";
  };
  if (text("kty") != "EC" || text("crv") != "P-256") return std::nullopt;
  if (jwk->contains("alg") && text("alg") != "ES256") return std::nullopt;
  if (jwk->contains("use") && text("use") != "sig") return std::nullopt;
  const auto x = detail::Base64UrlDecode(text("x"));
  const auto y = detail::Base64UrlDecode(text("y"));
  if (!x || !y) throw std::invalid_argument("JWKS EC key has bad x/y");
  return KeyEntry{std::string(text("kid")), detail::P256PublicKeyFromXY(*x, *y)};
}

}  // namespace

JwtVerifier::JwtVerifier(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

JwtVerifier JwtVerifier::FromPublicPem(std::string_view public_key_pem, std::string issuer,
                                       std::string audience, std::chrono::seconds leeway) {
  auto impl = Impl::Create(std::move(issuer), std::move(audience), leeway);
  impl->keys.push_back({"", detail::LoadP256PublicKey(public_key_pem)});
  return JwtVerifier(std::move(impl));
}

JwtVerifier JwtVerifier::FromJwks(std::string_view jwks_json, std::string issuer,
                                  std::string audience, std::chrono::seconds leeway) {
  auto impl = Impl::Create(std::move(issuer), std::move(audience), leeway);
  boost::system::error_code ec;
  const auto jwks = boost::json::parse(jwks_json, ec);
  const auto* keys = !ec && jwks.is_object() ? jwks.get_object().if_contains("keys") : nullptr;
  if (!keys || !keys->is_array()) throw std::invalid_argument("JWKS has no \"keys\" array");
  for (const auto& value : keys->get_array()) {
    if (auto entry = ReadJwk(value)) impl->keys.push_back(std::move(*entry));
  }
  if (impl->keys.empty()) throw std::invalid_argument("JWKS has no EC P-256 signing key");
  return JwtVerifier(std::move(impl));
}

std::chrono::seconds JwtVerifier::Leeway() const { return impl_->leeway; }

VerifyResult JwtVerifier::Verify(std::string_view token) const {
  return Verify(token, std::chrono::system_clock::now());
}

VerifyResult JwtVerifier::Verify(std::string_view token,
                                 std::chrono::system_clock::time_point now) const {
  if (token.size() > kMaxTokenSize) return Fail(VerifyError::kMalformed);
  const auto segments = Split(token);
  if (!segments) return Fail(VerifyError::kMalformed);

  // 1. Header, parsed by us: the algorithm is pinned before any key is touched, which is what
  //    defeats "alg":"none" and HS256-keyed-with-the-public-key confusion.
  const auto header_json = detail::Base64UrlDecode(segments->header);
  if (!header_json) return Fail(VerifyError::kMalformed);
  boost::system::error_code ec;
  const auto header_value = boost::json::parse(*header_json, ec);
  if (ec || !header_value.is_object()) return Fail(VerifyError::kMalformed);
  const auto& header = header_value.get_object();
  const auto* alg = header.if_contains("alg");
  if (!alg || !alg->is_string() || alg->get_string() != "ES256") {
    return Fail(VerifyError::kBadAlgorithm);
  }
  // We implement no JWS extensions, so RFC 7515 §4.1.11 says reject any "crit".
  if (header.contains("crit")) return Fail(VerifyError::kMalformed);
  std::optional<std::string> kid;
  if (const auto* value = header.if_contains("kid")) {
    if (!value->is_string()) return Fail(VerifyError::kMalformed);
    kid = std::string(value->get_string());
  }

  // 2. Signature over "header.payload" with the cached key.
  const auto signature = detail::Base64UrlDecode(segments->signature);
  if (!signature) return Fail(VerifyError::kMalformed);
  EVP_PKEY* key = impl_->Find(kid);
  // A kid we do not have may be a key rotated in since we loaded ours: worth a JWKS refresh.
  if (!key) return Fail(kid ? VerifyError::kUnknownKey : VerifyError::kBadSignature);
  if (!detail::VerifyEs256(key, segments->signing_input, *signature)) {
    return Fail(VerifyError::kBadSignature);
  }

  // 3. Claims, only now that they are known to be ours.
  const auto payload_json = detail::Base64UrlDecode(segments->payload);
  if (!payload_json) return Fail(VerifyError::kMalformed);
  auto payload = detail::ParsePayload(*payload_json);
  if (!payload) return Fail(VerifyError::kMalformed);
  if (!payload->sub || payload->sub->empty() || !payload->exp || !payload->iss || !payload->aud) {
    return Fail(VerifyError::kMissingClaim);
  }
  const std::int64_t unix_now =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const std::int64_t leeway = impl_->leeway.count();
  // Token values stay alone on one side of each comparison, so a hostile exp/nbf near the int64
  // limits cannot overflow the arithmetic.
  if (unix_now - leeway >= *payload->exp) return Fail(VerifyError::kExpired);
  if (payload->nbf && unix_now + leeway < *payload->nbf) return Fail(VerifyError::kNotYetValid);
  if (*payload->iss != impl_->issuer) return Fail(VerifyError::kWrongIssuer);
  const auto& audiences = *payload->aud;
  if (std::find(audiences.begin(), audiences.end(), impl_->audience) == audiences.end()) {
    return Fail(VerifyError::kWrongAudience);
  }

  Claims claims;
  claims.sub = std::move(*payload->sub);
  claims.role = payload->role.value_or("");
  claims.iss = std::move(*payload->iss);
  claims.aud = impl_->audience;
  claims.jti = payload->jti.value_or("");
  claims.iat = payload->iat.value_or(0);
  claims.nbf = payload->nbf.value_or(0);
  claims.exp = *payload->exp;
  return VerifyResult{std::move(claims), {}};
}

}  // namespace fo::auth
