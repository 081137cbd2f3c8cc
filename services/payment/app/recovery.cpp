#include "services/payment/app/recovery.hpp"

#include "platform/errors/error.hpp"
#include "platform/telemetry/log/log.hpp"
#include "services/payment/app/purchases.hpp"

namespace fo::payment::app {

Recovery::Recovery(RecoveryDependencies deps, RecoverySettings settings)
    : deps_(deps),
      settings_(settings),
      loop_(
          "payment-recovery", [this] { return Pass(); }, settings.interval) {}

Task<Change> Recovery::Assess(Context ctx, Payment payment) {
  const auto charge = co_await deps_.provider.Lookup(ctx, payment.id);
  Change change;
  if (charge && charge->status == ChargeStatus::kCharged) {
    // Charged: the purchase stands if its units are still set aside. A repeated Reserve with the
    // payment id answers the reservation's state (it exists: the charge came after it).
    const auto hold = co_await deps_.inventory.Reserve(ctx, payment.id, payment.product_id,
                                                       payment.quantity, settings_.reservation_ttl);
    if (hold.state == HoldState::kHeld || hold.state == HoldState::kCommitted) {
      change.to = Status::kCompleted;
      change.transaction_id = charge->transaction_id;
      co_return change;
    }
    co_await deps_.provider.Refund(ctx, payment.id);
    change.failure_reason = std::string(domain::kReservationLapsed);
    co_return change;
  }
  co_await ReleaseQuietly(deps_.inventory, ctx, payment.id);
  const bool declined = charge && charge->status == ChargeStatus::kDeclined;
  change.failure_reason = std::string(declined ? domain::kDeclined : domain::kInterrupted);
  co_return change;
}

Task<RecoveryReport> Recovery::RunOnce(const Context& ctx) {
  RecoveryReport report;
  // A completed purchase keeps its 201 for the client's retry; a failed one frees the key, as a
  // 503 does: the attempt the client never heard about left nothing behind.
  const Respond respond = [this](const Payment& p) -> std::optional<StoredResponse> {
    if (p.status == Status::kCompleted) return deps_.responses.Created(p);
    return std::nullopt;
  };
  const Decide decide = [this](const Payment& p) -> Task<Change> {
    Context call;
    call.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    return Assess(call, p);
  };
  for (int i = 0; i < kBatch && !ctx.Expired(); ++i) {
    Status settled_as = Status::kPending;
    const Respond count = [&](const Payment& p) {
      settled_as = p.status;
      return respond(p);
    };
    const bool found =
        co_await deps_.payments.SettleStale(ctx, settings_.settle_after, decide, count);
    if (!found) break;
    deps_.metrics.Count(settled_as);
    ++report.settled;
  }
  report.keys_dropped = co_await deps_.payments.DropAbandonedKeys(ctx, settings_.settle_after);
  report.keys_purged = co_await deps_.payments.PurgeKeys(ctx, settings_.key_retention);
  co_return report;
}

// One pass of the loop; a failure is logged by the loop and retried after the interval.
Task<std::chrono::milliseconds> Recovery::Pass() {
  Context ctx;
  ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const auto report = co_await RunOnce(ctx);
  if (report.settled + report.keys_dropped + report.keys_purged > 0) {
    log::Info("payment recovery pass", {{"settled", report.settled},
                                        {"keys_dropped", report.keys_dropped},
                                        {"keys_purged", report.keys_purged}});
  }
  co_return settings_.interval;
}

}  // namespace fo::payment::app
