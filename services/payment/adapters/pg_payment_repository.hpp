#pragma once
#include "platform/pg/pool.hpp"
#include "services/payment/app/ports.hpp"

namespace fo::payment::adapters {

// Payments and idempotency keys in PostgreSQL; every status change writes its event to the
// outbox (topic payment.events, key = payment id) in the same transaction.
class PgPaymentRepository final : public app::PaymentRepository {
 public:
  explicit PgPaymentRepository(pg::Pool& pool) : pool_(pool) {}

  app::Task<app::Claim> ClaimKey(const Context& ctx, const app::KeyRef& key,
                                 const std::string& request_hash) override;
  app::Task<void> FinishKey(const Context& ctx, const app::KeyRef& key,
                            const app::StoredResponse& response) override;
  app::Task<void> DeleteKey(const Context& ctx, const app::KeyRef& key) override;
  app::Task<app::Payment> InsertPending(const Context& ctx, const app::Payment& payment,
                                        const app::KeyRef& key) override;
  app::Task<app::Payment> Move(const Context& ctx, const std::string& payment_id,
                               const app::Change& change, const app::Respond& respond) override;
  app::Task<bool> SettleStale(const Context& ctx, std::chrono::seconds older_than,
                              const app::Decide& decide, const app::Respond& respond) override;
  app::Task<std::int64_t> DropAbandonedKeys(const Context& ctx,
                                            std::chrono::seconds older_than) override;
  app::Task<std::int64_t> PurgeKeys(const Context& ctx, std::chrono::hours older_than) override;
  app::Task<std::optional<app::Payment>> Find(const Context& ctx, const std::string& id) override;
  app::Task<app::PaymentPage> List(const Context& ctx, const app::PaymentFilter& filter) override;

 private:
  pg::Pool& pool_;
};

// The outbox event announcing `payment`'s current status (its ce_type, serialized payload).
struct PaymentEvent {
  std::string type;
  std::string payload;
};
PaymentEvent EventOf(const app::Payment& payment);
inline constexpr const char* kPaymentTopic = "payment.events";

}  // namespace fo::payment::adapters
