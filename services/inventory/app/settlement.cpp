#include "services/inventory/app/settlement.hpp"

#include "platform/telemetry/log/log.hpp"

namespace fo::inventory::app {
namespace {

std::string_view Applied(PaymentOutcome outcome, domain::Transition decision) {
  if (decision == domain::Transition::kExpireThenFail) return "expired";
  switch (outcome) {
    case PaymentOutcome::kPurchased:
      return "committed";
    case PaymentOutcome::kFailed:
      return "released";
    case PaymentOutcome::kRefunded:
      return "returned";
  }
  return "";
}

}  // namespace

Task<SettlementOutcome> Settlement::Apply(const Context& ctx, const PaymentEvent& event) {
  auto outcome = co_await store_.Apply(ctx, event);
  if (outcome.duplicate) {
    log::Info("payment event already applied; skipped",
              {{"event_id", std::string_view(event.event_id)},
               {"payment_id", std::string_view(event.payment_id)}});
  } else if (!outcome.found) {
    // A payment that failed before it reserved anything: nothing to undo.
    log::Info("payment event names no reservation",
              {{"event_id", std::string_view(event.event_id)},
               {"payment_id", std::string_view(event.payment_id)}});
  } else if (outcome.decision == domain::Transition::kApply ||
             outcome.decision == domain::Transition::kExpireThenFail) {
    metrics_.Count(Applied(event.outcome, outcome.decision), 1);
  } else if (outcome.decision == domain::Transition::kRefuse) {
    // E.g. a purchase whose hold the sweeper already expired: the stock was not taken. Loud,
    // because the payment service believes it was.
    log::Error("payment event cannot move its reservation",
               {{"event_id", std::string_view(event.event_id)},
                {"type", std::string_view(event.type)},
                {"payment_id", std::string_view(event.payment_id)},
                {"state", domain::ToString(outcome.before)}});
  }
  co_return outcome;
}

}  // namespace fo::inventory::app
