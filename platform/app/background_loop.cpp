#include "platform/app/background_loop.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>

#include "platform/telemetry/log/log.hpp"

namespace fo::app {
namespace asio = boost::asio;

BackgroundLoop::BackgroundLoop(std::string name, Pass pass, std::chrono::milliseconds retry_after)
    : name_(std::move(name)), pass_(std::move(pass)), retry_after_(retry_after) {}

void BackgroundLoop::Start(const asio::any_io_executor& executor) {
  strand_.emplace(asio::make_strand(executor));
  timer_.emplace(*strand_);
  finished_ = false;
  asio::co_spawn(*strand_, Run(), asio::detached);
}

asio::awaitable<void> BackgroundLoop::Run() {
  while (!stopping_) {
    std::chrono::milliseconds wait = retry_after_;
    try {
      wait = co_await pass_();
    } catch (const std::exception& e) {
      // A dependency may be down for a while; the next pass tries again.
      log::Warn("background pass failed",
                {{"job", std::string_view(name_)}, {"error", std::string_view(e.what())}});
    }
    if (stopping_) break;
    if (wait.count() <= 0) continue;
    timer_->expires_after(wait);
    boost::system::error_code ignored;
    co_await timer_->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  finished_ = true;
}

void BackgroundLoop::Wake() {
  if (!strand_) return;
  asio::post(*strand_, [this] { timer_->cancel(); });
}

asio::awaitable<void> BackgroundLoop::Stop(std::function<void()> while_waiting) {
  stopping_ = true;
  if (!strand_) co_return;
  Wake();  // the timer lives on the strand: cancel it there
  asio::steady_timer poll(co_await asio::this_coro::executor);
  while (!finished_) {
    if (while_waiting) while_waiting();
    poll.expires_after(std::chrono::milliseconds(5));
    co_await poll.async_wait(asio::use_awaitable);
  }
}

}  // namespace fo::app
