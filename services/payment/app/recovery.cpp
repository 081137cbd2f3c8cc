#include "services/payment/app/recovery.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "platform/errors/error.hpp"
#include "platform/telemetry/log/log.hpp"
#include "services/payment/app/purchases.hpp"

namespace fo::payment::app {
namespace asio = boost::asio;

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

void Recovery::Start(const asio::any_io_executor& executor) {
  strand_.emplace(asio::make_strand(executor));
  timer_.emplace(*strand_);
  finished_ = false;
  asio::co_spawn(*strand_, Loop(), asio::detached);
}

Task<void> Recovery::Loop() {
  while (!stopping_) {
    Context ctx;
    ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    try {
      const auto report = co_await RunOnce(ctx);
      if (report.settled + report.keys_dropped + report.keys_purged > 0) {
        log::Info("payment recovery pass", {{"settled", report.settled},
                                            {"keys_dropped", report.keys_dropped},
                                            {"keys_purged", report.keys_purged}});
      }
    } catch (const std::exception& e) {
      // A dependency or the database may be down for a while; the next tick tries again.
      log::Warn("payment recovery pass failed", {{"error", std::string_view(e.what())}});
    }
    if (stopping_) break;
    timer_->expires_after(settings_.interval);
    boost::system::error_code ignored;
    co_await timer_->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  finished_ = true;
}

Task<void> Recovery::Stop() {
  stopping_ = true;
  if (!strand_) co_return;
  asio::post(*strand_, [this] { timer_->cancel(); });
  asio::steady_timer poll(co_await asio::this_coro::executor);
  while (!finished_) {
    poll.expires_after(std::chrono::milliseconds(5));
    co_await poll.async_wait(asio::use_awaitable);
  }
}

}  // namespace fo::payment::app
