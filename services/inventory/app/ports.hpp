#pragma once
// What the use cases need from the outside world. Adapters implement these over PostgreSQL,
// gRPC and Prometheus; unit tests implement them in memory.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/context/context.hpp"
#include "services/inventory/domain/reservation.hpp"
#include "services/inventory/domain/stock.hpp"

namespace fo::inventory::app {

template <typename T>
using Task = boost::asio::awaitable<T>;
using domain::Line;
using domain::ReservationState;
using domain::Shortage;
using domain::StockItem;

struct NewStock {
  std::int64_t product_id = 0;
  std::string location;
  std::int64_t on_hand = 0;
  std::string actor;
};

struct StockPage {
  std::vector<StockItem> items;
  std::int64_t total = 0;
};

// A conditional change's result: the changed row, or (when its condition failed) the row as it
// is now, or neither when the row does not exist.
struct StockChange {
  std::optional<StockItem> changed;
  std::optional<StockItem> current;
};

class StockRepository {
 public:
  virtual ~StockRepository() = default;
  // Inserts the row and its `created` movement; Conflict when the product already has stock at
  // that location.
  virtual Task<StockItem> Create(const Context& ctx, NewStock stock) = 0;
  virtual Task<std::optional<StockItem>> Find(const Context& ctx, std::int64_t id) = 0;
  virtual Task<StockPage> List(const Context& ctx, std::int64_t limit, std::int64_t offset) = 0;
  // Every location of a product, by location.
  virtual Task<std::vector<StockItem>> ForProduct(const Context& ctx, std::int64_t product_id) = 0;
  // Available units per product (summed over locations); absent products are left out.
  virtual Task<std::map<std::int64_t, std::int64_t>> Available(
      const Context& ctx, const std::vector<std::int64_t>& product_ids) = 0;
  // on_hand := on_hand, only while the row is at `expected_version` and on_hand >= reserved.
  virtual Task<StockChange> SetOnHand(const Context& ctx, std::int64_t id,
                                      std::int64_t expected_version, std::int64_t on_hand,
                                      const std::string& actor, const std::string& reason) = 0;
  // on_hand += delta, only while the result stays >= reserved.
  virtual Task<StockChange> AdjustOnHand(const Context& ctx, std::int64_t id, std::int64_t delta,
                                         const std::string& actor, const std::string& reason) = 0;
};

struct HoldRequest {
  std::string reservation_id;
  std::vector<Line> lines;  // sorted by product
  std::string items;        // domain::CanonicalItems(lines)
  std::chrono::seconds ttl{0};
};

struct HoldOutcome {
  ReservationState state = ReservationState::kRejected;
  bool replayed = false;     // the id was known: this is the stored outcome
  std::string items;         // what the stored reservation asked for (to spot reuse)
  std::string expires_at;    // RFC 3339 UTC; empty when rejected
  bool past_expiry = false;  // replayed, still held, but its time has passed
  std::vector<Shortage> shortages;
};

// What Commit or Release found and did.
struct TransitionOutcome {
  bool found = false;
  ReservationState before = ReservationState::kHeld;
  domain::Transition decision = domain::Transition::kRefuse;
};

class ReservationStore {
 public:
  virtual ~ReservationStore() = default;
  // All-or-nothing: takes every line's units from a location with enough available, or none and
  // records the reservation as rejected with its shortages. A known id returns the stored outcome.
  virtual Task<HoldOutcome> Hold(const Context& ctx, const HoldRequest& request) = 0;
  // Locks the reservation, asks domain::DecideCommit / DecideRelease and applies the answer.
  virtual Task<TransitionOutcome> Commit(const Context& ctx, const std::string& id) = 0;
  virtual Task<TransitionOutcome> Release(const Context& ctx, const std::string& id) = 0;
  // Expires up to `batch` held reservations past their expiry (skipping ones another replica
  // holds); returns how many.
  virtual Task<int> ExpireDue(const Context& ctx, int batch) = 0;
};

// A payment event, as far as stock is concerned. `event_id` (the CloudEvents id) makes applying
// it idempotent.
enum class PaymentOutcome { kPurchased, kFailed, kRefunded };
struct PaymentEvent {
  std::string event_id;
  std::string type;
  std::string topic;
  std::string payment_id;  // also the reservation id
  PaymentOutcome outcome = PaymentOutcome::kPurchased;
};

// Stock levels of one product after a change, summed over locations (for InventoryUpdated).
struct ProductLevel {
  std::int64_t product_id = 0;
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
};

struct SettlementOutcome {
  bool duplicate = false;  // the event was applied before: nothing was done now
  bool found = false;      // the reservation exists
  ReservationState before = ReservationState::kHeld;
  domain::Transition decision = domain::Transition::kRefuse;
  std::vector<ProductLevel> levels;  // of the products that changed (announced as events)
};

// Applies a payment event to its reservation in ONE transaction: claims the event id (inbox),
// moves the units (commit, release, or return) and writes an InventoryUpdated outbox event per
// changed product.
class SettlementStore {
 public:
  virtual ~SettlementStore() = default;
  virtual Task<SettlementOutcome> Apply(const Context& ctx, const PaymentEvent& event) = 0;
};

class ProductCatalog {
 public:
  virtual ~ProductCatalog() = default;
  // True when the product exists and is not deleted; throws Unavailable when the catalog cannot
  // be asked.
  virtual Task<bool> Exists(const Context& ctx, std::int64_t product_id) = 0;
};

// Business counter of reservation outcomes: held, rejected, replayed, committed, released,
// expired.
class ReservationMetrics {
 public:
  virtual ~ReservationMetrics() = default;
  virtual void Count(std::string_view outcome, std::int64_t n) = 0;
};

}  // namespace fo::inventory::app
