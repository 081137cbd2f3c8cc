#pragma once

#include <openssl/types.h>

#include <array>
#include <memory>
#include <string>
#include <string_view>

// OpenSSL 3 helpers for the one key type we accept: ECDSA on P-256 (JWS "ES256").
namespace fo::auth::detail {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const;
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Parse a private key PEM (SEC1 "EC PRIVATE KEY" or PKCS#8); encrypted keys are refused rather
// than prompting on the terminal. Throws std::invalid_argument unless it is a P-256 key.
PkeyPtr LoadP256PrivateKey(std::string_view pem);

// Parse a SubjectPublicKeyInfo PEM ("PUBLIC KEY"). Throws std::invalid_argument unless P-256.
PkeyPtr LoadP256PublicKey(std::string_view pem);

// Build a public key from JWK x/y (32 bytes each, big-endian); checks the point is on the curve.
// Throws std::invalid_argument.
PkeyPtr P256PublicKeyFromXY(std::string_view x, std::string_view y);

struct P256Point {
  std::array<unsigned char, 32> x{};
  std::array<unsigned char, 32> y{};
};
P256Point PublicPoint(const EVP_PKEY* key);

std::string PublicKeyPem(const EVP_PKEY* key);

// JWS ES256 signatures are raw r||s (RFC 7518 §3.4), 64 bytes, not OpenSSL's DER.
// Thread-safe for a shared key: all per-call state lives in a fresh EVP_MD_CTX.
// ES256 signature of signing_input as JWS wants it: raw r||s, 32 bytes each. Throws on failure.
std::string SignEs256(EVP_PKEY* key, std::string_view signing_input);

bool VerifyEs256(EVP_PKEY* key, std::string_view signing_input, std::string_view raw_signature);

}  // namespace fo::auth::detail
