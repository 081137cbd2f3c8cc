#pragma once
// Payments: their fields, the rules a purchase request must meet, and the status state machine
// (pending -> completed | failed, completed -> refunded). No I/O here.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fo::payment::domain {

enum class Status { kPending, kCompleted, kFailed, kRefunded };

std::string_view ToString(Status status);
std::optional<Status> ParseStatus(std::string_view text);

// True for the moves the state machine allows; MoveTo throws Conflict (409) for any other.
bool CanMove(Status from, Status to);
void CheckMove(Status from, Status to);

inline constexpr std::int64_t kMaxQuantity = 1000;
inline constexpr std::size_t kPaymentMethodMax = 64;
inline constexpr std::size_t kIdempotencyKeyMax = 255;

// Why a payment failed (failure_reason).
inline constexpr std::string_view kOutOfStock = "out_of_stock";
inline constexpr std::string_view kDeclined = "declined";
inline constexpr std::string_view kDependencyUnavailable = "dependency_unavailable";
inline constexpr std::string_view kInterrupted = "interrupted";
inline constexpr std::string_view kReservationLapsed = "reservation_lapsed";

struct Payment {
  std::string id;  // UUIDv7
  std::int64_t user_id = 0;
  std::int64_t product_id = 0;
  std::int64_t quantity = 0;
  std::int64_t amount = 0;  // minor units of currency
  std::string currency;
  Status status = Status::kPending;
  std::string payment_method;
  std::optional<std::string> transaction_id;
  std::optional<std::string> failure_reason;
  std::string created_at;  // RFC 3339 UTC
  std::string updated_at;
};

// Field rules; each returns the problem, or nullopt.
std::optional<std::string> CheckPaymentMethod(std::string_view method);  // 1..64 of [a-z0-9_]
std::optional<std::string> CheckCurrency(std::string_view currency);     // 3 upper-case letters
std::optional<std::string> CheckIdempotencyKey(std::string_view key);    // 1..255 printable ASCII

// price x quantity; nullopt when it does not fit in 64 bits or the price is negative.
std::optional<std::int64_t> AmountOf(std::int64_t unit_price, std::int64_t quantity);

// What a purchase asks for, decoded: its canonical text and SHA-256 (hex) decide whether a
// repeated Idempotency-Key carries the same request. The absent currency differs from any given
// one, as a client's request differs.
struct PurchaseRequest {
  std::int64_t product_id = 0;
  std::int64_t quantity = 0;
  std::string payment_method;
  std::optional<std::string> currency;
};
std::string CanonicalRequest(const PurchaseRequest& request);
std::string RequestHash(const PurchaseRequest& request);

}  // namespace fo::payment::domain
