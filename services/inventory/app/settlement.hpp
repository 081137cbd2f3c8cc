#pragma once
// What payment events do to stock: a purchase commits the payment's reservation, a failure
// releases it if still held, a refund puts the committed units back on hand. Each event has its
// effect once, however often it is delivered.
#include "services/inventory/app/ports.hpp"

namespace fo::inventory::app {

class Settlement {
 public:
  Settlement(SettlementStore& store, ReservationMetrics& metrics)
      : store_(store), metrics_(metrics) {}

  Task<SettlementOutcome> Apply(const Context& ctx, const PaymentEvent& event);

 private:
  SettlementStore& store_;
  ReservationMetrics& metrics_;
};

}  // namespace fo::inventory::app
