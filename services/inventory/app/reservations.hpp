#pragma once
// The reservation protocol: reserve (all-or-nothing, idempotent by id), commit, release.
#include "services/inventory/app/ports.hpp"

namespace fo::inventory::app {

struct Reserve {
  std::string reservation_id;
  std::vector<Line> lines;
  std::int64_t ttl_seconds = 0;  // 0: the service default
};

struct ReserveResult {
  std::string reservation_id;
  ReservationState state = ReservationState::kRejected;
  std::string expires_at;  // when held
  std::vector<Shortage> shortages;
  bool replayed = false;
};

class Reservations {
 public:
  Reservations(ReservationStore& store, ReservationMetrics& metrics,
               std::chrono::seconds default_ttl)
      : store_(store), metrics_(metrics), default_ttl_(default_ttl) {}

  // InvalidArgument for a malformed request; PreconditionFailed when the id was used for other
  // items. Not enough stock is an outcome (rejected), not an error.
  Task<ReserveResult> Hold(const Context& ctx, Reserve command);
  // NotFound for an unknown id; PreconditionFailed for a state that cannot move this way
  // (a held one past its expiry is expired on the spot first).
  Task<ReservationState> Commit(const Context& ctx, const std::string& reservation_id);
  Task<ReservationState> Release(const Context& ctx, const std::string& reservation_id);

 private:
  Task<ReservationState> Move(const Context& ctx, const std::string& reservation_id, bool commit);

  ReservationStore& store_;
  ReservationMetrics& metrics_;
  std::chrono::seconds default_ttl_;
};

}  // namespace fo::inventory::app
