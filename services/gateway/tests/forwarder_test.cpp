// The retry rules of the forwarder against a scripted pool: no sockets, real timers.
#include "services/gateway/app/forwarder.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <deque>
#include <functional>

#include "platform/testing/run.hpp"

namespace fo::gateway::app {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using Kind = http::ClientError::Kind;

// Each Send takes the next scripted outcome: a status, or a client error.
struct Outcome {
  Outcome(int code) : status(code) {}  // NOLINT(google-explicit-constructor): scripts read well
  Outcome(Kind kind) : status(0), error(kind) {}  // NOLINT(google-explicit-constructor)
  int status;
  std::optional<Kind> error;
};

class ScriptedPool final : public Pool {
 public:
  explicit ScriptedPool(std::size_t instances) : instances_(instances) {}
  std::deque<Outcome> script;
  std::vector<std::size_t> sent_to;
  std::vector<bool> reported;
  std::vector<std::string> timeouts;  // X-Request-Timeout-Ms of every attempt
  bool none_available = false;

  static resilience::CircuitBreaker::Permit Permit() {
    resilience::CircuitBreaker::Permit permit;
    permit.allowed = true;
    return permit;
  }
  const std::string& Name() const override { return name_; }
  std::string_view Authority(std::size_t) const override { return "10.0.0.1:80"; }
  std::string_view HashHeader() const override { return {}; }
  std::optional<Choice> Choose(std::string_view, std::span<const std::size_t> tried) override {
    if (none_available) return std::nullopt;
    for (std::size_t i = 0; i < instances_; ++i) {
      if (std::find(tried.begin(), tried.end(), i) == tried.end()) return Choice{i, Permit()};
    }
    return Choice{0, Permit()};
  }
  std::chrono::milliseconds RetryAfter() const override { return 2500ms; }
  boost::asio::awaitable<http::ClientResponse> Send(std::size_t instance,
                                                    const http::ClientRequest& request,
                                                    Clock::time_point) override {
    sent_to.push_back(instance);
    timeouts.emplace_back(http::FindHeader(request.headers, "X-Request-Timeout-Ms"));
    auto next = script.empty() ? Outcome(200) : script.front();
    if (!script.empty()) script.pop_front();
    if (next.error) throw http::ClientError(*next.error, "scripted");
    co_return http::ClientResponse{next.status, {{"Content-Length", "2"}}, "{}"};
  }
  void Report(const Choice&, bool success, std::chrono::nanoseconds) override {
    reported.push_back(success);
  }

 private:
  std::string name_ = "product";
  std::size_t instances_;
};

class ForwarderTest : public ::testing::Test {
 protected:
  ForwardResult Run(ScriptedPool& pool, bool retryable, std::chrono::milliseconds budget = 5s) {
    Context ctx;
    ctx.deadline = Clock::now() + budget;
    ForwardOptions options;
    options.retryable = retryable;
    options.backoff_base = 10ms;
    http::ClientRequest request;
    request.method = "GET";
    request.target = "/api/products";
    return testing::RunIn(io_, Forward(pool, request, options, ctx));
  }
  boost::asio::io_context io_;
};

TEST_F(ForwarderTest, RetriesGatewayErrorsOnOtherInstances) {
  ScriptedPool pool(3);
  pool.script = {503, 502, 200};
  auto result = Run(pool, true);
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(result.attempts, 3);
  EXPECT_EQ(pool.sent_to, (std::vector<std::size_t>{0, 1, 2}));
  EXPECT_EQ(pool.reported, (std::vector<bool>{false, false, true}));
  EXPECT_EQ(http::FindHeader(result.response.headers, "Content-Length"), "");
}

TEST_F(ForwarderTest, ConnectErrorsAndLostConnectionsAreRetriedOthersAreNot) {
  ScriptedPool pool(2);
  pool.script = {Kind::kConnect, Kind::kConnectionLost, 201};
  EXPECT_EQ(Run(pool, true).response.status, 201);
  ScriptedPool protocol(2);
  protocol.script = {Kind::kProtocol};
  EXPECT_EQ(Run(protocol, true).response.status, 502);
  EXPECT_EQ(protocol.sent_to.size(), 1u);
}

TEST_F(ForwarderTest, NeverRetriesFourXxFiveHundredOrTheUnsafe) {
  for (int status : {400, 401, 404, 409, 429, 500}) {
    ScriptedPool pool(2);
    pool.script = {status, 200};
    EXPECT_EQ(Run(pool, true).response.status, status);
    EXPECT_EQ(pool.sent_to.size(), 1u) << status;
  }
  ScriptedPool unsafe(2);
  unsafe.script = {503, 200};
  EXPECT_EQ(Run(unsafe, false).response.status, 503);
  EXPECT_EQ(unsafe.sent_to.size(), 1u);
}

TEST_F(ForwarderTest, AtMostThreeAttemptsThenTheLastAnswer) {
  ScriptedPool pool(1);
  pool.script = {503, 503, 504, 200};
  auto result = Run(pool, true);
  EXPECT_EQ(result.response.status, 504);
  EXPECT_TRUE(result.from_upstream);
  EXPECT_EQ(pool.sent_to, (std::vector<std::size_t>{0, 0, 0}));  // one instance: again
}

TEST_F(ForwarderTest, NoRetryThatTheDeadlineCannotAfford) {
  ScriptedPool pool(2);
  pool.script = {503, 200};
  auto result = Run(pool, true, 5ms);  // less than the first backoff
  EXPECT_EQ(result.response.status, 503);
  EXPECT_EQ(pool.sent_to.size(), 1u);
  const auto sent = std::stoll(pool.timeouts.at(0));
  EXPECT_GE(sent, 1);
  EXPECT_LE(sent, 5);
}

TEST_F(ForwarderTest, TimeoutsAre504AndNoInstanceIs503WithRetryAfter) {
  ScriptedPool slow(2);
  slow.script = {Kind::kTimeout};
  auto timed_out = Run(slow, true);
  EXPECT_EQ(timed_out.response.status, 504);
  EXPECT_EQ(slow.sent_to.size(), 1u);
  ScriptedPool closed(2);
  closed.none_available = true;
  auto refused = Run(closed, true);
  EXPECT_EQ(refused.response.status, 503);
  EXPECT_EQ(http::FindHeader(refused.response.headers, "Retry-After"), "3");
  EXPECT_TRUE(closed.sent_to.empty());
}

TEST(SafeToRetry, FollowsRfc9110) {
  for (const char* method : {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"}) {
    EXPECT_TRUE(SafeToRetry(method, false)) << method;
  }
  EXPECT_FALSE(SafeToRetry("POST", false));
  EXPECT_TRUE(SafeToRetry("POST", true));
  EXPECT_FALSE(SafeToRetry("PATCH", true));
}

}  // namespace
}  // namespace fo::gateway::app
