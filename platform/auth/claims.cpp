#include "platform/auth/claims.hpp"

namespace fo::auth {

std::string_view ToString(VerifyError error) {
  switch (error) {
    case VerifyError::kMalformed:
      return "malformed";
    case VerifyError::kBadAlgorithm:
      return "bad_algorithm";
    case VerifyError::kBadSignature:
      return "bad_signature";
    case VerifyError::kUnknownKey:
      return "unknown_key";
    case VerifyError::kExpired:
      return "expired";
    case VerifyError::kNotYetValid:
      return "not_yet_valid";
    case VerifyError::kWrongIssuer:
      return "wrong_issuer";
    case VerifyError::kWrongAudience:
      return "wrong_audience";
    case VerifyError::kMissingClaim:
      return "missing_claim";
  }
  return "unknown";
}

}  // namespace fo::auth
