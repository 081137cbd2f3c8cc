#include "services/inventory/app/expiry_sweeper.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "platform/telemetry/log/log.hpp"

namespace fo::inventory::app {
namespace asio = boost::asio;

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

void ExpirySweeper::Start(const asio::any_io_executor& executor) {
  strand_.emplace(asio::make_strand(executor));
  timer_.emplace(*strand_);
  finished_ = false;
  asio::co_spawn(*strand_, Loop(), asio::detached);
}

Task<void> ExpirySweeper::Loop() {
  while (!stopping_) {
    Context ctx;
    ctx.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    try {
      const int expired = co_await SweepOnce(ctx);
      if (expired > 0) log::Info("reservations expired", {{"count", std::int64_t{expired}}});
    } catch (const std::exception& e) {
      // The database may be down for a while; the next tick tries again.
      log::Warn("reservation sweep failed", {{"error", std::string_view(e.what())}});
    }
    if (stopping_) break;
    timer_->expires_after(interval_);
    boost::system::error_code ignored;
    co_await timer_->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  finished_ = true;
}

Task<void> ExpirySweeper::Stop() {
  stopping_ = true;
  if (!strand_) co_return;
  // The timer lives on the strand: cancel it there.
  asio::post(*strand_, [this] { timer_->cancel(); });
  asio::steady_timer poll(co_await asio::this_coro::executor);
  while (!finished_) {
    poll.expires_after(std::chrono::milliseconds(5));
    co_await poll.async_wait(asio::use_awaitable);
  }
}

}  // namespace fo::inventory::app
