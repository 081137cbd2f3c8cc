#pragma once
#include <prometheus/counter.h>
#include <prometheus/family.h>

#include "services/inventory/app/ports.hpp"

namespace fo::inventory::adapters {

// inventory_reservations_total{outcome}.
class PrometheusReservationMetrics final : public app::ReservationMetrics {
 public:
  PrometheusReservationMetrics();
  void Count(std::string_view outcome, std::int64_t n) override;

 private:
  prometheus::Family<prometheus::Counter>& family_;
};

}  // namespace fo::inventory::adapters
