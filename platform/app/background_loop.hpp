#pragma once
// A background job that runs one pass after another on its own strand until stopped: outbox
// relays, recovery jobs, sweepers. Each pass returns how long to wait before the next one, so a
// job can go again at once while it has a backlog and back off while a dependency is down.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace fo::app {

class BackgroundLoop {
 public:
  // A pass that throws is logged as a warning and retried after `retry_after`.
  using Pass = std::function<boost::asio::awaitable<std::chrono::milliseconds>()>;

  BackgroundLoop(std::string name, Pass pass, std::chrono::milliseconds retry_after);
  BackgroundLoop(const BackgroundLoop&) = delete;
  BackgroundLoop& operator=(const BackgroundLoop&) = delete;

  void Start(const boost::asio::any_io_executor& executor);
  // Ends the loop: a wait is cut short, a pass in progress is finished first. `while_waiting`
  // (if any) runs every few milliseconds until then, to hurry a pass along (e.g. abort I/O).
  boost::asio::awaitable<void> Stop(std::function<void()> while_waiting = {});
  // Cuts the current wait short so the next pass starts now (e.g. new work was written).
  void Wake();

 private:
  boost::asio::awaitable<void> Run();

  std::string name_;
  Pass pass_;
  std::chrono::milliseconds retry_after_;
  std::optional<boost::asio::strand<boost::asio::any_io_executor>> strand_;
  std::optional<boost::asio::steady_timer> timer_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> finished_{true};
};

}  // namespace fo::app
