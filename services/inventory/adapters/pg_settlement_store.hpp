#pragma once
#include "platform/pg/pool.hpp"
#include "services/inventory/app/ports.hpp"

namespace fo::inventory::adapters {

// app::SettlementStore over PostgreSQL: inbox claim, unit movement and InventoryUpdated outbox
// rows in one transaction.
class PgSettlementStore final : public app::SettlementStore {
 public:
  explicit PgSettlementStore(pg::Pool& pool) : pool_(pool) {}
  app::Task<app::SettlementOutcome> Apply(const Context& ctx,
                                          const app::PaymentEvent& event) override;

 private:
  pg::Pool& pool_;
};

}  // namespace fo::inventory::adapters
