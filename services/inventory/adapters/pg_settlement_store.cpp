#include "services/inventory/adapters/pg_settlement_store.hpp"

#include "platform/messaging/inbox.hpp"
#include "services/inventory/adapters/inventory_events.hpp"
#include "services/inventory/adapters/pg_reservation_moves.hpp"
#include "services/inventory/adapters/pg_statements.hpp"

namespace fo::inventory::adapters {
namespace {

using app::PaymentOutcome;
using app::SettlementOutcome;
using app::Task;
using domain::Transition;

// What the event asks of the reservation. A purchase commits a hold even past its expiry: the
// payment completed while it was held, so the units are the buyer's (until the sweeper takes
// them; then the commit is refused and logged).
Transition Decide(PaymentOutcome outcome, domain::ReservationState state, bool past_expiry) {
  switch (outcome) {
    case PaymentOutcome::kPurchased:
      return domain::DecideCommit(state, false);
    case PaymentOutcome::kFailed:
      return domain::DecideRelease(state, past_expiry);
    case PaymentOutcome::kRefunded:
      return domain::DecideReturn(state);
  }
  return Transition::kRefuse;
}

std::string_view Reason(PaymentOutcome outcome) {
  switch (outcome) {
    case PaymentOutcome::kPurchased:
      return "purchase";
    case PaymentOutcome::kFailed:
      return "payment_failed";
    case PaymentOutcome::kRefunded:
      return "refund";
  }
  return "";
}

Task<void> Move(pg::Tx& tx, PaymentOutcome outcome, Transition decision, const std::string& id) {
  const std::vector<std::string> ids(1, id);
  if (decision == Transition::kExpireThenFail) {
    co_await FreeHolds(tx, ids, "expired", domain::kEventActor);
    co_return;
  }
  switch (outcome) {
    case PaymentOutcome::kPurchased:
      co_await CommitHold(tx, id, domain::kEventActor);
      break;
    case PaymentOutcome::kFailed:
      co_await FreeHolds(tx, ids, "released", domain::kEventActor);
      break;
    case PaymentOutcome::kRefunded:
      co_await ReturnUnits(tx, id, domain::kEventActor);
      break;
  }
}

}  // namespace

Task<SettlementOutcome> PgSettlementStore::Apply(const Context& ctx,
                                                 const app::PaymentEvent& event) {
  co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<SettlementOutcome> {
    SettlementOutcome out;
    const bool claimed =
        co_await messaging::ClaimInbox(tx, event.event_id, event.type, event.topic);
    if (!claimed) {
      out.duplicate = true;
      co_return out;
    }
    const auto locked = co_await tx.Query(sql::kLockReservation, pg::Params(event.payment_id));
    if (locked.Empty()) co_return out;  // never reserved (e.g. the payment failed before that)
    out.found = true;
    out.before = domain::ParseReservationState(locked[0].String(0))
                     .value_or(domain::ReservationState::kRejected);
    out.decision = Decide(event.outcome, out.before, locked[0].Bool(1));
    if (out.decision == Transition::kApply || out.decision == Transition::kExpireThenFail) {
      const auto products =
          co_await tx.Query(sql::kReservationProducts, pg::Params(event.payment_id));
      std::vector<std::int64_t> ids;
      ids.reserve(static_cast<std::size_t>(products.Rows()));
      for (int i = 0; i < products.Rows(); ++i) ids.push_back(products[i].Int(0));
      co_await Move(tx, event.outcome, out.decision, event.payment_id);
      out.levels = co_await AnnounceLevels(tx, ctx, ids, Reason(event.outcome), event.payment_id);
    }
    co_return out;
  });
}

}  // namespace fo::inventory::adapters
