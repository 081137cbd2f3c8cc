#include "services/inventory/app/expiry_sweeper.hpp"

#include "platform/telemetry/log/log.hpp"

namespace fo::inventory::app {

ExpirySweeper::ExpirySweeper(ReservationStore& store, ReservationMetrics& metrics,
                             std::chrono::milliseconds interval)
    : store_(store),
      metrics_(metrics),
      interval_(interval),
      loop_(
          "reservation-sweeper", [this] { return Pass(); }, interval) {}

Task<int> ExpirySweeper::SweepOnce(const Context& ctx) {
  int total = 0;
  while (true) {
    const int expired = co_await store_.ExpireDue(ctx, kBatch);
    total += expired;
    if (expired > 0) metrics_.Count("expired", expired);
    if (expired < kBatch || ctx.Expired()) break;
  }
  co_return total;
}

// One pass of the loop; a failure (the database may be down) is logged by the loop and retried
// after the interval.
Task<std::chrono::milliseconds> ExpirySweeper::Pass() {
  Context ctx;
  ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  const int expired = co_await SweepOnce(ctx);
  if (expired > 0) log::Info("reservations expired", {{"count", std::int64_t{expired}}});
  co_return interval_;
}

}  // namespace fo::inventory::app
