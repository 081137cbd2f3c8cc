#pragma once
#include "platform/pg/pool.hpp"
#include "services/inventory/app/ports.hpp"

namespace fo::inventory::adapters {

class PgReservationStore final : public app::ReservationStore {
 public:
  explicit PgReservationStore(pg::Pool& pool) : pool_(pool) {}
  app::Task<app::HoldOutcome> Hold(const Context& ctx, const app::HoldRequest& request) override;
  app::Task<app::TransitionOutcome> Commit(const Context& ctx, const std::string& id) override;
  app::Task<app::TransitionOutcome> Release(const Context& ctx, const std::string& id) override;
  app::Task<int> ExpireDue(const Context& ctx, int batch) override;

 private:
  app::Task<app::TransitionOutcome> Move(const Context& ctx, const std::string& id, bool commit);

  pg::Pool& pool_;
};

}  // namespace fo::inventory::adapters
