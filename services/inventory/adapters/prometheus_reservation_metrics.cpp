#include "services/inventory/adapters/prometheus_reservation_metrics.hpp"

#include "platform/telemetry/metrics/metrics.hpp"

namespace fo::inventory::adapters {

PrometheusReservationMetrics::PrometheusReservationMetrics()
    : family_(metrics::Global().Counter(
          "inventory_reservations_total",
          "Reservation outcomes: held, rejected, replayed, committed, released, expired.")) {
  // Every outcome shows from the start, at zero, so rates work before the first event.
  for (const char* outcome : {"held", "rejected", "replayed", "committed", "released", "expired"}) {
    family_.Add({{"outcome", outcome}});
  }
}

void PrometheusReservationMetrics::Count(std::string_view outcome, std::int64_t n) {
  family_.Add({{"outcome", std::string(outcome)}}).Increment(static_cast<double>(n));
}

}  // namespace fo::inventory::adapters
