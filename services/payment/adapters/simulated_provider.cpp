#include "services/payment/adapters/simulated_provider.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

#include "platform/errors/error.hpp"
#include "platform/ids/uuid.hpp"
#include "services/payment/adapters/pg_statements.hpp"

namespace fo::payment::adapters {
namespace {

app::ChargeResult RowToCharge(const pg::Row& row) {
  app::ChargeResult charge;
  const auto status = row.String(0);
  charge.status = status == "charged"    ? app::ChargeStatus::kCharged
                  : status == "refunded" ? app::ChargeStatus::kRefunded
                                         : app::ChargeStatus::kDeclined;
  charge.transaction_id = row.String(1);
  return charge;
}

}  // namespace

bool SimulatedProvider::Declines(const std::string& method) const {
  if (method == kDeclineMethod) return true;
  if (settings_.decline_rate <= 0) return false;
  thread_local std::mt19937_64 random{std::random_device{}()};
  return std::uniform_real_distribution<double>(0, 1)(random) < settings_.decline_rate;
}

app::Task<app::ChargeResult> SimulatedProvider::Charge(const Context& ctx,
                                                       const app::ChargeRequest& request) {
  if (settings_.latency.count() > 0) {
    boost::asio::steady_timer wait(co_await boost::asio::this_coro::executor);
    wait.expires_after(settings_.latency);
    co_await wait.async_wait(boost::asio::use_awaitable);
  }
  if (request.payment_method == kUnavailableMethod) {
    throw Unavailable("the payment provider is unavailable");
  }
  const std::string status = Declines(request.payment_method) ? "declined" : "charged";
  const auto transaction_id = "sim_" + ids::NewUuidV7();
  auto inserted =
      co_await pool_.Query(ctx, sql::kInsertCharge,
                           pg::Params(request.payment_id, transaction_id, request.amount,
                                      request.currency, request.payment_method, status));
  if (!inserted.Empty()) co_return RowToCharge(inserted[0]);
  // A repeat: the first decision stands.
  auto found = co_await pool_.Query(ctx, sql::kFindCharge, pg::Params(request.payment_id));
  co_return RowToCharge(found[0]);
}

app::Task<std::optional<app::ChargeResult>> SimulatedProvider::Lookup(
    const Context& ctx, const std::string& payment_id) {
  auto found = co_await pool_.Query(ctx, sql::kFindCharge, pg::Params(payment_id));
  if (found.Empty()) co_return std::nullopt;
  co_return RowToCharge(found[0]);
}

app::Task<void> SimulatedProvider::Refund(const Context& ctx, const std::string& payment_id) {
  auto refunded = co_await pool_.Query(ctx, sql::kRefundCharge, pg::Params(payment_id));
  if (refunded.Empty()) throw Conflict("nothing was charged for payment " + payment_id);
}

}  // namespace fo::payment::adapters
