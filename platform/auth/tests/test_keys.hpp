#pragma once

#include <jwt.h>

#include <string>
#include <string_view>

// Keys are generated per test run with OpenSSL, so no key material is committed.
namespace fo::auth::test {

struct KeyPair {
  std::string private_pem;  // PKCS#8
  std::string public_pem;   // SubjectPublicKeyInfo
};

KeyPair NewEcP256Key();
KeyPair NewRsaKey();

// Mints a token the way an attacker with libjwt would: any algorithm, any key, any payload.
std::string MintWithLibjwt(jwt_alg_t alg, std::string_view key, std::string_view payload_json);

// Builds "header.payload.signature" from raw parts (each base64url-encoded here).
std::string Compact(std::string_view header_json, std::string_view payload_json,
                    std::string_view raw_signature);

}  // namespace fo::auth::test
