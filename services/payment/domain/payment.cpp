#include "services/payment/domain/payment.hpp"

#include <openssl/sha.h>

#include <array>

#include "platform/errors/error.hpp"

namespace fo::payment::domain {

std::string_view ToString(Status status) {
  switch (status) {
    case Status::kPending:
      return "pending";
    case Status::kCompleted:
      return "completed";
    case Status::kFailed:
      return "failed";
    case Status::kRefunded:
      return "refunded";
  }
  return "pending";
}

std::optional<Status> ParseStatus(std::string_view text) {
  for (auto status : {Status::kPending, Status::kCompleted, Status::kFailed, Status::kRefunded}) {
    if (ToString(status) == text) return status;
  }
  return std::nullopt;
}

bool CanMove(Status from, Status to) {
  switch (from) {
    case Status::kPending:
      return to == Status::kCompleted || to == Status::kFailed;
    case Status::kCompleted:
      return to == Status::kRefunded;
    case Status::kFailed:
    case Status::kRefunded:
      return false;
  }
  return false;
}

void CheckMove(Status from, Status to) {
  if (!CanMove(from, to)) {
    throw Conflict("a " + std::string(ToString(from)) + " payment cannot become " +
                   std::string(ToString(to)));
  }
}

std::optional<std::string> CheckPaymentMethod(std::string_view method) {
  if (method.empty() || method.size() > kPaymentMethodMax) return "must be 1 to 64 characters";
  for (char c : method) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return "may only contain a-z, 0-9 and _";
  }
  return std::nullopt;
}

std::optional<std::string> CheckCurrency(std::string_view currency) {
  if (currency.size() != 3) return "must be a 3-letter ISO 4217 code in upper case";
  for (char c : currency) {
    if (c < 'A' || c > 'Z') return "must be a 3-letter ISO 4217 code in upper case";
  }
  return std::nullopt;
}

std::optional<std::string> CheckIdempotencyKey(std::string_view key) {
  if (key.empty()) return "is required (1 to 255 printable ASCII characters)";
  if (key.size() > kIdempotencyKeyMax) return "must be at most 255 characters";
  for (char c : key) {
    if (c < 0x20 || c > 0x7e) return "may only contain printable ASCII characters";
  }
  return std::nullopt;
}

std::optional<std::int64_t> AmountOf(std::int64_t unit_price, std::int64_t quantity) {
  std::int64_t amount = 0;
  if (unit_price < 0 || quantity < 0 || __builtin_mul_overflow(unit_price, quantity, &amount)) {
    return std::nullopt;
  }
  return amount;
}

std::string CanonicalRequest(const PurchaseRequest& request) {
  // Fixed field order, lengths spelled out: no two different requests share a text.
  std::string text = "product_id=" + std::to_string(request.product_id) +
                     ";quantity=" + std::to_string(request.quantity) +
                     ";payment_method=" + std::to_string(request.payment_method.size()) + ":" +
                     request.payment_method + ";currency=";
  text += request.currency ? *request.currency : std::string("-");
  return text;
}

std::string RequestHash(const PurchaseRequest& request) {
  const auto text = CanonicalRequest(request);
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (unsigned char byte : digest) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0x0f]);
  }
  return hex;
}

}  // namespace fo::payment::domain
