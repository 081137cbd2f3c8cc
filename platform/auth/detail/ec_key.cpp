#include "platform/auth/detail/ec_key.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstring>
#include <stdexcept>
#include <vector>

namespace fo::auth::detail {

void PkeyFree::operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }

namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct BnFree {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
struct CtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct SigFree {
  void operator()(ECDSA_SIG* sig) const { ECDSA_SIG_free(sig); }
};

// Failures leave entries on OpenSSL's thread-local error queue; drop them so unrelated code on
// the same thread (TLS, gRPC) does not later read our stale errors.
[[noreturn]] void Fail(const char* what) {
  ERR_clear_error();
  throw std::invalid_argument(what);
}

// Refuse encrypted PEMs instead of letting OpenSSL prompt for a passphrase on the tty.
int NoPassphrase(char*, int, int, void*) { return -1; }

std::unique_ptr<BIO, BioFree> MemBio(std::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) Fail("cannot allocate BIO");
  return bio;
}

void RequireP256(const PkeyPtr& key, const char* what) {
  char group[32] = {};
  std::size_t length = 0;
  if (!key || !EVP_PKEY_is_a(key.get(), "EC") ||
      EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                     &length) != 1 ||
      std::strcmp(group, "prime256v1") != 0) {
    Fail(what);
  }
}

}  // namespace

PkeyPtr LoadP256PrivateKey(std::string_view pem) {
  auto bio = MemBio(pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  RequireP256(key, "not an unencrypted EC P-256 private key PEM");
  return key;
}

PkeyPtr LoadP256PublicKey(std::string_view pem) {
  auto bio = MemBio(pem);
  PkeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, NoPassphrase, nullptr));
  RequireP256(key, "not an EC P-256 public key PEM");
  return key;
}

PkeyPtr P256PublicKeyFromXY(std::string_view x, std::string_view y) {
  // RFC 7518 says 32 bytes each, but some JWK writers (PyJWT among them) drop leading zero
  // bytes, about one key in a hundred: left-pad those, as the value is the same integer.
  if (x.empty() || y.empty() || x.size() > 32 || y.size() > 32) {
    Fail("JWK x/y must be at most 32 bytes for P-256");
  }
  // Uncompressed SEC1 point: 0x04 || x || y.
  unsigned char point[65] = {};
  point[0] = 0x04;
  std::memcpy(point + 1 + (32 - x.size()), x.data(), x.size());
  std::memcpy(point + 33 + (32 - y.size()), y.data(), y.size());
  char group[] = "prime256v1";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point),
      OSSL_PARAM_construct_end(),
  };
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
    Fail("JWK x/y is not a P-256 point");
  }
  PkeyPtr key(raw);
  // Belt and braces: explicitly reject off-curve points (invalid-curve attacks).
  std::unique_ptr<EVP_PKEY_CTX, CtxFree> check(EVP_PKEY_CTX_new_from_pkey(nullptr, raw, nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) Fail("JWK x/y is not a P-256 point");
  return key;
}

P256Point PublicPoint(const EVP_PKEY* key) {
  P256Point point;
  BIGNUM* x = nullptr;
  BIGNUM* y = nullptr;
  const bool ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &x) == 1 &&
                  EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &y) == 1;
  std::unique_ptr<BIGNUM, BnFree> x_owner(x);
  std::unique_ptr<BIGNUM, BnFree> y_owner(y);
  // bn2binpad left-pads, so coordinates with leading zero bytes still come out as 32 bytes.
  if (!ok || BN_bn2binpad(x, point.x.data(), 32) != 32 ||
      BN_bn2binpad(y, point.y.data(), 32) != 32) {
    Fail("cannot read the EC public point");
  }
  return point;
}

std::string PublicKeyPem(const EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) Fail("cannot encode public key PEM");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

std::string SignEs256(EVP_PKEY* key, std::string_view signing_input) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  std::size_t der_length = 0;
  const auto* input = reinterpret_cast<const unsigned char*>(signing_input.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &der_length, input, signing_input.size()) != 1) {
    ERR_clear_error();
    throw std::runtime_error("ES256 signing failed");
  }
  std::vector<unsigned char> der(der_length);
  if (EVP_DigestSign(ctx.get(), der.data(), &der_length, input, signing_input.size()) != 1) {
    ERR_clear_error();
    throw std::runtime_error("ES256 signing failed");
  }
  // OpenSSL signs in DER; JWS wants r and s as fixed 32-byte big-endian numbers.
  const unsigned char* cursor = der.data();
  std::unique_ptr<ECDSA_SIG, SigFree> sig(
      d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der_length)));
  if (!sig) throw std::runtime_error("ES256 signature has an unexpected encoding");
  std::string raw(64, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, 32) != 32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + 32, 32) != 32) {
    throw std::runtime_error("ES256 signature does not fit P-256");
  }
  return raw;
}

bool VerifyEs256(EVP_PKEY* key, std::string_view signing_input, std::string_view raw_signature) {
  if (raw_signature.size() != 64) return false;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw_signature.data());
  std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(bytes, 32, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + 32, 32, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ERR_clear_error();
    return false;
  }
  // OpenSSL's EVP interface wants DER, so re-encode r and s.
  const int der_length = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (der_length <= 0) {
    ERR_clear_error();
    return false;
  }
  std::vector<unsigned char> der(static_cast<std::size_t>(der_length));
  unsigned char* cursor = der.data();
  i2d_ECDSA_SIG(sig.get(), &cursor);

  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  const bool ok = ctx &&
                  EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
                  EVP_DigestVerify(ctx.get(), der.data(), der.size(),
                                   reinterpret_cast<const unsigned char*>(signing_input.data()),
                                   signing_input.size()) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

}  // namespace fo::auth::detail
