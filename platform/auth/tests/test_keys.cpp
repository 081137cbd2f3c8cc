#include "platform/auth/tests/test_keys.hpp"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "platform/auth/detail/base64url.hpp"

namespace fo::auth::test {

namespace {

std::string Drain(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

KeyPair ToPem(EVP_PKEY* raw) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(raw, &EVP_PKEY_free);
  if (!key) throw std::runtime_error("key generation failed");
  std::unique_ptr<BIO, decltype(&BIO_free)> priv(BIO_new(BIO_s_mem()), &BIO_free);
  std::unique_ptr<BIO, decltype(&BIO_free)> pub(BIO_new(BIO_s_mem()), &BIO_free);
  if (PEM_write_bio_PrivateKey(priv.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(pub.get(), key.get()) != 1) {
    throw std::runtime_error("PEM encoding failed");
  }
  return {Drain(priv.get()), Drain(pub.get())};
}

}  // namespace

KeyPair NewEcP256Key() { return ToPem(EVP_EC_gen("P-256")); }

KeyPair NewRsaKey() { return ToPem(EVP_RSA_gen(2048)); }

std::string MintWithLibjwt(jwt_alg_t alg, std::string_view key, std::string_view payload_json) {
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::runtime_error("jwt_new");
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt(raw, &jwt_free);
  const std::string payload(payload_json);
  if (jwt_add_grants_json(raw, payload.c_str()) != 0 ||
      jwt_set_alg(raw, alg,
                  key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
                  static_cast<int>(key.size())) != 0) {
    throw std::runtime_error("libjwt rejected the test token setup");
  }
  std::unique_ptr<char, decltype(&std::free)> token(jwt_encode_str(raw), &std::free);
  if (!token) throw std::runtime_error("jwt_encode_str");
  return token.get();
}

std::string Compact(std::string_view header_json, std::string_view payload_json,
                    std::string_view raw_signature) {
  return detail::Base64UrlEncode(header_json) + "." + detail::Base64UrlEncode(payload_json) + "." +
         detail::Base64UrlEncode(raw_signature);
}

}  // namespace fo::auth::test
