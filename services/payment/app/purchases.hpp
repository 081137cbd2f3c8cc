#pragma once
// The purchase saga (ARCHITECTURE §7): claim the Idempotency-Key, validate the user and price the
// product in parallel, record the payment pending, reserve stock, charge, then settle the payment
// and its key in one transaction. A dependency that cannot be asked leaves nothing half-done:
// what was held is given back, the payment is recorded failed and the key is deleted, so the
// client may retry it (503).
#include "services/payment/app/ports.hpp"

namespace fo::payment::app {

struct PurchaseDependencies {
  UserDirectory& users;
  ProductCatalog& catalog;
  Inventory& inventory;
  PaymentProvider& provider;
  PaymentRepository& payments;
  const Responses& responses;
  PaymentMetrics& metrics;
};

struct PurchaseCommand {
  std::int64_t user_id = 0;  // from the access token, never from the body
  std::string idempotency_key;
  domain::PurchaseRequest request;
};

struct PurchaseResult {
  StoredResponse response;
  bool replayed = false;  // answered from the key's stored response
};

class Purchases {
 public:
  Purchases(PurchaseDependencies deps, std::chrono::seconds reservation_ttl)
      : deps_(deps), reservation_ttl_(reservation_ttl) {}

  // The final answer for the client (201, 402, 403, 404, 409, 422), stored on the key. Throws
  // Unprocessable (key reused for another request), Conflict (key in flight) and Unavailable
  // (a dependency is down; the key is free again).
  Task<PurchaseResult> Execute(const Context& ctx, PurchaseCommand command);

 private:
  // What the saga had done when it stopped, for the compensation.
  struct Progress {
    std::optional<std::string> payment_id;
    bool held = false;
    bool charge_attempted = false;
  };

  Task<StoredResponse> Run(const Context& ctx, const PurchaseCommand& command, const KeyRef& key,
                           Progress& progress);
  Task<StoredResponse> Refuse(const Context& ctx, const KeyRef& key, StoredResponse response);
  Task<StoredResponse> Settle(const Context& ctx, const std::string& payment_id, Change change,
                              std::optional<StoredResponse> response);
  Task<void> Abandon(const KeyRef& key, const Progress& progress);

  PurchaseDependencies deps_;
  std::chrono::seconds reservation_ttl_;
};

// A copy of `ctx` with at least `floor` left: work that must finish once started (recording a
// charge, compensating) is not cut short by the client's deadline.
Context AtLeast(const Context& ctx, std::chrono::milliseconds floor);

// Release that never throws: the inventory's expiry sweeper and the PaymentFailed event release
// the hold too when this one cannot.
Task<void> ReleaseQuietly(Inventory& inventory, const Context& ctx, const std::string& id);

}  // namespace fo::payment::app
