#pragma once
// What the use cases need from the outside world. Adapters implement these over PostgreSQL,
// gRPC and Prometheus; unit tests implement them in memory.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/context/context.hpp"
#include "services/payment/domain/payment.hpp"

namespace fo::payment::app {

template <typename T>
using Task = boost::asio::awaitable<T>;
using domain::Payment;
using domain::Status;

// Every dependency port throws fo::Unavailable when it cannot be asked (unreachable, timed out,
// failing): the saga then undoes what it started and answers 503.

struct UserStatus {
  bool exists = false;
  bool active = false;
};

class UserDirectory {
 public:
  virtual ~UserDirectory() = default;
  virtual Task<UserStatus> Validate(const Context& ctx, std::int64_t user_id) = 0;
};

struct Product {
  std::int64_t id = 0;
  std::int64_t price = 0;  // minor units of currency
  std::string currency;
  bool active = false;
};

class ProductCatalog {
 public:
  virtual ~ProductCatalog() = default;
  // nullopt when the product does not exist (or was deleted).
  virtual Task<std::optional<Product>> Find(const Context& ctx, std::int64_t product_id) = 0;
};

enum class HoldState {
  kHeld,       // the units are set aside for this payment
  kCommitted,  // the units were taken for this payment
  kRejected,   // not enough stock when it was asked
  kGone,       // released or expired: the units went back
};

struct Hold {
  HoldState state = HoldState::kRejected;
  std::int64_t available = 0;  // when rejected: what the product had
};

class Inventory {
 public:
  virtual ~Inventory() = default;
  // Idempotent by reservation id: a repeat answers what the reservation is now, which is how the
  // recovery job learns whether a hold is still there.
  virtual Task<Hold> Reserve(const Context& ctx, const std::string& reservation_id,
                             std::int64_t product_id, std::int64_t quantity,
                             std::chrono::seconds ttl) = 0;
  // Gives held units back; an unknown or already finished reservation is not an error.
  virtual Task<void> Release(const Context& ctx, const std::string& reservation_id) = 0;
};

enum class ChargeStatus { kCharged, kDeclined, kRefunded };

struct ChargeResult {
  ChargeStatus status = ChargeStatus::kDeclined;
  std::string transaction_id;
};

struct ChargeRequest {
  std::string payment_id;  // the provider's idempotency key
  std::int64_t amount = 0;
  std::string currency;
  std::string payment_method;
};

class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  // Idempotent by payment id: a repeat returns the first decision and never charges twice.
  virtual Task<ChargeResult> Charge(const Context& ctx, const ChargeRequest& request) = 0;
  // What the provider did for this payment, if anything (after a crash).
  virtual Task<std::optional<app::ChargeResult>> Lookup(const Context& ctx,
                                                        const std::string& payment_id) = 0;
  // Gives a charge back; idempotent. Conflict when nothing was charged.
  virtual Task<void> Refund(const Context& ctx, const std::string& payment_id) = 0;
};

// An HTTP answer as stored on an idempotency key, replayed byte for byte.
struct StoredResponse {
  int status = 0;
  std::string body;
  bool operator==(const StoredResponse&) const = default;
};

struct KeyRef {
  std::int64_t user_id = 0;
  std::string key;
};

enum class ClaimKind {
  kClaimed,   // new: this request owns the key now
  kReplay,    // done earlier with the same request: `response` is the answer
  kMismatch,  // used earlier for a different request
  kInFlight,  // another attempt with this key is still running
};

struct Claim {
  ClaimKind kind = ClaimKind::kClaimed;
  StoredResponse response;
};

// A status change of a payment.
struct Change {
  Status to = Status::kFailed;
  std::optional<std::string> transaction_id;
  std::optional<std::string> failure_reason;
};

// How the key still in flight for a payment is settled once the payment changes: the response to
// store on it, or nullopt to delete the key (the client may retry it).
using Respond = std::function<std::optional<StoredResponse>(const Payment&)>;
// The recovery job's decision for one stale pending payment, taken while its row is locked.
using Decide = std::function<Task<Change>(const Payment&)>;

struct PaymentFilter {
  std::optional<Status> status;
  std::optional<std::int64_t> user_id;
  std::int64_t limit = 50;
  std::int64_t offset = 0;
};

struct PaymentPage {
  std::vector<Payment> items;
  std::int64_t total = 0;
};

class PaymentRepository {
 public:
  virtual ~PaymentRepository() = default;
  // Claims (user, key) atomically; see ClaimKind.
  virtual Task<Claim> ClaimKey(const Context& ctx, const KeyRef& key,
                               const std::string& request_hash) = 0;
  virtual Task<void> FinishKey(const Context& ctx, const KeyRef& key,
                               const StoredResponse& response) = 0;
  virtual Task<void> DeleteKey(const Context& ctx, const KeyRef& key) = 0;
  // Inserts the payment (pending) and links it to its key; Conflict when the key is no longer
  // in flight (the recovery job gave it up).
  virtual Task<Payment> InsertPending(const Context& ctx, const Payment& payment,
                                      const KeyRef& key) = 0;
  // In one transaction: applies `change` (Conflict when the state machine refuses it from the
  // stored status), appends the event of the new status to the outbox (ProductPurchased,
  // PaymentFailed, PaymentRefunded) and settles the payment's key in flight with `respond`.
  virtual Task<Payment> Move(const Context& ctx, const std::string& payment_id,
                             const Change& change, const Respond& respond) = 0;
  // Locks one payment pending for longer than `older_than` (skipping rows another replica
  // holds), asks `decide` while the lock is held and applies its answer as Move does. False
  // when there was none.
  virtual Task<bool> SettleStale(const Context& ctx, std::chrono::seconds older_than,
                                 const Decide& decide, const Respond& respond) = 0;
  // Deletes keys in flight for longer than `older_than` that never got a payment (their saga
  // died before it inserted one); returns how many.
  virtual Task<std::int64_t> DropAbandonedKeys(const Context& ctx,
                                               std::chrono::seconds older_than) = 0;
  // Deletes finished keys older than `older_than`; returns how many.
  virtual Task<std::int64_t> PurgeKeys(const Context& ctx, std::chrono::hours older_than) = 0;
  virtual Task<std::optional<Payment>> Find(const Context& ctx, const std::string& id) = 0;
  // Newest first.
  virtual Task<PaymentPage> List(const Context& ctx, const PaymentFilter& filter) = 0;
};

// How outcomes are written for the client (and stored for replay); the transport knows JSON.
class Responses {
 public:
  virtual ~Responses() = default;
  virtual StoredResponse Created(const Payment& payment) const = 0;
  // A problem+json body quoting the trace of `ctx` (a replay shows the trace where the decision
  // was made); `available` becomes an extension member when given.
  virtual StoredResponse Problem(const Context& ctx, int status, std::string_view detail,
                                 std::optional<std::int64_t> available = std::nullopt) const = 0;
};

// payments_total{status} and the saga's duration by outcome.
class PaymentMetrics {
 public:
  virtual ~PaymentMetrics() = default;
  virtual void Count(Status status) = 0;
  virtual void SagaFinished(std::string_view outcome, std::chrono::duration<double> took) = 0;
};

}  // namespace fo::payment::app
