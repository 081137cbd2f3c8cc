#include "platform/app/app.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <thread>

#include "platform/testing/run.hpp"

namespace fo::app {
namespace {
namespace asio = boost::asio;

http::Response Call(App& app, http::Router& router, std::string_view path) {
  auto match = router.Find("GET", path);
  EXPECT_NE(match.route, nullptr) << path;
  http::Request request;
  request.method = "GET";
  request.path = std::string(path);
  return app.BlockOn(match.route->handler(request));
}

TEST(App, ReadinessFollowsChecksAndProbesAnswer) {
  App app("test");
  bool database_up = true;
  app.AddReadinessCheck("database",
                        [&](Deadline) -> asio::awaitable<bool> { co_return database_up; });
  http::Router router;
  app.AddProbeRoutes(router);
  EXPECT_EQ(Call(app, router, "/livez").status, 200);
  auto ready = Call(app, router, "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(boost::json::parse(ready.body).at("checks").at("database").as_string(), "ok");
  database_up = false;
  auto not_ready = Call(app, router, "/readyz");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(boost::json::parse(not_ready.body).at("checks").at("database").as_string(), "failing");
  EXPECT_EQ(Call(app, router, "/health").status, 503);
  auto metrics = Call(app, router, "/metrics");
  EXPECT_NE(metrics.body.find("process_resident_memory_bytes"), std::string::npos);
  EXPECT_NE(metrics.body.find("otel_exporter_spans_dropped_total"), std::string::npos);
}

TEST(App, SigtermRunsStopHooksInOrderWhileNotReadyThenExitsZero) {
  App app("test");
  http::Router router;
  app.AddProbeRoutes(router);
  std::vector<std::string> order;
  int readyz_during_stop = 0;
  app.OnStop([&]() -> asio::awaitable<void> {
    order.push_back("drain http");
    auto match = router.Find("GET", "/readyz");
    http::Request request;
    auto response = co_await match.route->handler(request);
    readyz_during_stop = response.status;
  });
  app.OnStop([&]() -> asio::awaitable<void> {
    order.push_back("stop grpc");
    co_return;
  });
  app.OnStop([&]() -> asio::awaitable<void> {
    throw std::runtime_error("a failing hook must not stop the others");
    co_return;
  });
  app.OnStop([&]() -> asio::awaitable<void> {
    order.push_back("last");
    co_return;
  });
  asio::post(app.Io(), [] { std::raise(SIGTERM); });
  EXPECT_EQ(app.Run(), 0);
  EXPECT_TRUE(app.Draining());
  EXPECT_EQ(order, (std::vector<std::string>{"drain http", "stop grpc", "last"}));
  EXPECT_EQ(readyz_during_stop, 503);
}

TEST(App, RunServesEvenIfWorkFinishedElsewhereAfterStartUpStoppedTheIoContext) {
  App app("test");
  // Start-up work whose last bit of accounting finishes on another thread after BlockOn has
  // returned, as a thread pool's job can: the work count drops to zero and the context stops.
  std::thread late_worker;
  app.BlockOn([&]() -> asio::awaitable<void> {
    late_worker = std::thread([guard = asio::make_work_guard(app.Io())]() mutable {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      guard.reset();
    });
    co_return;
  }());
  late_worker.join();
  ASSERT_TRUE(app.Io().stopped());  // the state this test is about

  std::atomic<bool> served{false};
  asio::post(app.Io(), [&] {
    served = true;
    std::raise(SIGTERM);
  });
  EXPECT_EQ(app.Run(), 0);
  EXPECT_TRUE(served);
  EXPECT_TRUE(app.Draining());  // it stopped because of the signal, not because it never ran
}

}  // namespace
}  // namespace fo::app
