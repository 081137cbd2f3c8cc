#include "platform/app/app.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <thread>

#include "platform/app/exporter_metrics.hpp"
#include "platform/config/env.hpp"
#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::app {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

App::App(std::string service_name)
    : name_(std::move(service_name)),
      drain_delay_(config::Millis("SHUTDOWN_DELAY_MS", std::chrono::milliseconds(0))),
      threads_(static_cast<std::size_t>(
          config::Int("APP_THREADS", std::max(1u, std::thread::hardware_concurrency()), 1, 256))) {
  log::Configure(log::OptionsFromEnv(name_));
  if (!config::Get("OTEL_SERVICE_NAME")) ::setenv("OTEL_SERVICE_NAME", name_.c_str(), 0);
  telemetry::InitTracing(telemetry::TracingConfig::FromEnv());
  static const bool exporter_metrics_registered = [] {
    metrics::Global().AddCollectable(MakeTraceExporterCollector());
    return true;
  }();
  (void)exporter_metrics_registered;
  // A closed client socket must surface as an error on write, not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
}

App::~App() = default;

void App::AddReadinessCheck(std::string name, ReadinessCheck check) {
  checks_.emplace_back(std::move(name), std::move(check));
}

void App::OnStop(StopHook hook) { stop_hooks_.push_back(std::move(hook)); }

void App::AddProbeRoutes(http::Router& router, const std::vector<std::string>& more_live,
                         const std::vector<std::string>& more_ready) {
  auto liveness = [](http::Request&) -> asio::awaitable<http::Response> {
    co_return http::Json(http::status::kOk, R"({"status":"ok"})");
  };
  router.Get("/livez", liveness);
  for (const auto& path : more_live) router.Get(path, liveness);
  auto readiness = [this](http::Request&) -> asio::awaitable<http::Response> {
    boost::json::object checks;
    bool ready = !draining_;
    const auto deadline = Clock::now() + std::chrono::seconds(2);
    for (const auto& [name, check] : checks_) {
      const bool ok = co_await check(deadline);
      checks[name] = ok ? "ok" : "failing";
      ready = ready && ok;
    }
    boost::json::object body{{"status", ready ? "ok" : (draining_ ? "draining" : "unavailable")},
                             {"service", name_},
                             {"checks", std::move(checks)}};
    co_return http::Json(ready ? http::status::kOk : http::status::kUnavailable,
                         boost::json::serialize(body));
  };
  router.Get("/readyz", readiness);
  router.Get("/health", readiness);
  for (const auto& path : more_ready) router.Get(path, readiness);
  router.Get("/metrics", [](http::Request&) -> asio::awaitable<http::Response> {
    co_return http::Text(http::status::kOk, metrics::Global().Scrape(),
                         "text/plain; version=0.0.4; charset=utf-8");
  });
}

void App::RequestStop() {
  if (stopping_.exchange(true)) return;
  asio::co_spawn(io_, Stop(), asio::detached);
}

asio::awaitable<void> App::Stop() {
  draining_ = true;
  log::Info("shutting down", {{"service", name_}});
  if (drain_delay_.count() > 0) {
    // Lets load balancers see /readyz fail before listeners close.
    asio::steady_timer timer(io_, drain_delay_);
    co_await timer.async_wait(asio::use_awaitable);
  }
  for (auto& hook : stop_hooks_) {
    try {
      co_await hook();
    } catch (const std::exception& e) {
      log::Error("stop hook failed", {{"error", e.what()}});
    }
  }
  telemetry::ShutdownTracing(std::chrono::seconds(5));
  log::Info("stopped", {{"service", name_}});
  io_.stop();
}

int App::Run() {
  asio::signal_set signals(io_, SIGINT, SIGTERM);
  signals.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) RequestStop();
  });
  auto guard = asio::make_work_guard(io_);
  // Work finished on another thread after the last BlockOn (a pool job's guard, say) may have
  // dropped the work count to zero, which stops the io_context: run() would return at once and
  // the service exit 0 right after start-up. The guard above keeps the count from reaching zero
  // again, so clearing that stale stop here is final.
  io_.restart();
  std::vector<std::thread> pool;
  for (std::size_t i = 1; i < threads_; ++i) pool.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& t : pool) t.join();
  return 0;
}

}  // namespace fo::app
