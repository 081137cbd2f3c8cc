#pragma once
// Process lifecycle shared by every program: logging and tracing from the environment, one
// io_context run by a small thread pool, readiness, and graceful shutdown on SIGTERM/SIGINT:
// readiness false -> stop hooks in order (stop accepting, drain in-flight work) -> flush
// telemetry -> exit 0.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "platform/http/router.hpp"

namespace fo::app {

using Deadline = std::chrono::steady_clock::time_point;
using ReadinessCheck = std::function<boost::asio::awaitable<bool>(Deadline)>;
using StopHook = std::function<boost::asio::awaitable<void>()>;

class App {
 public:
  explicit App(std::string service_name);
  ~App();

  boost::asio::io_context& Io() { return io_; }
  const std::string& Name() const { return name_; }

  void AddReadinessCheck(std::string name, ReadinessCheck check);
  void OnStop(StopHook hook);  // run in the order added
  // /livez, /readyz, /health and /metrics, and the same liveness and readiness answers under
  // any extra paths given (the gateway keeps the seed's /health/live and /health/ready).
  void AddProbeRoutes(http::Router& router, const std::vector<std::string>& more_live = {},
                      const std::vector<std::string>& more_ready = {});

  // Runs `work` to completion on the io_context before Run() (start-up: migrations, seeding).
  template <typename T>
  T BlockOn(boost::asio::awaitable<T> work) {
    auto future = boost::asio::co_spawn(io_, std::move(work), boost::asio::use_future);
    while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      if (io_.run_one() == 0) io_.restart();
    }
    io_.restart();
    return future.get();
  }

  // Runs until a signal (or RequestStop) and the stop sequence finish; returns the exit code.
  int Run();
  void RequestStop();
  bool Draining() const { return draining_.load(); }

 private:
  boost::asio::awaitable<void> Stop();

  std::string name_;
  boost::asio::io_context io_;
  std::vector<std::pair<std::string, ReadinessCheck>> checks_;
  std::vector<StopHook> stop_hooks_;
  std::atomic<bool> draining_{false};
  std::atomic<bool> stopping_{false};
  std::chrono::milliseconds drain_delay_;
  std::size_t threads_;
};

}  // namespace fo::app
