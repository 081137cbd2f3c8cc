#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "echo.grpc.pb.h"
#include "platform/grpc/client.hpp"
#include "platform/grpc/server.hpp"
#include "platform/telemetry/tracing/tracer.hpp"
#include "platform/testing/run.hpp"

namespace fo::rpc {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;

class EchoService final : public fo::test::Echo::CallbackService {
 public:
  explicit EchoService(asio::io_context& io) : io_(io) {}
  ::grpc::ServerUnaryReactor* Say(::grpc::CallbackServerContext* call,
                                  const fo::test::SayRequest* request,
                                  fo::test::SayResponse* response) override {
    return Unary(io_, call, "fo.test.Echo/Say", request, response,
                 [this](const Context& ctx, const fo::test::SayRequest& req,
                        fo::test::SayResponse& resp) -> asio::awaitable<void> {
                   if (req.sleep_ms() > 0) {
                     asio::steady_timer timer(io_, std::chrono::milliseconds(req.sleep_ms()));
                     co_await timer.async_wait(asio::use_awaitable);
                   }
                   if (req.fail_kind() == "not_found") throw NotFound("no such thing");
                   if (req.fail_kind() == "conflict") throw Conflict("taken");
                   if (req.fail_kind() == "crash") throw std::runtime_error("secret detail");
                   resp.set_text(req.text());
                   resp.set_traceparent(ctx.span.TraceIdHex());
                   resp.set_remaining_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             ctx.deadline - std::chrono::steady_clock::now())
                                             .count());
                 });
  }

 private:
  asio::io_context& io_;
};

class GrpcTest : public ::testing::Test {
 protected:
  GrpcTest() : work_(asio::make_work_guard(server_io_)), service_(server_io_) {
    server_.Register(&service_);
    server_.Start();
    thread_ = std::thread([this] { server_io_.run(); });
    stub_ = fo::test::Echo::NewStub(MakeChannel("127.0.0.1:" + std::to_string(server_.Port())));
  }
  ~GrpcTest() override {
    server_.Shutdown(1s);
    work_.reset();
    server_io_.stop();
    thread_.join();
  }

  fo::test::SayResponse Say(const fo::test::SayRequest& request, const Context& ctx) {
    return fo::testing::RunIn(
        client_io_, Call<fo::test::SayResponse>(
                        ctx, "fo.test.Echo/Say", [&](auto* call, auto* response, auto done) {
                          stub_->async()->Say(call, &request, response, std::move(done));
                        }));
  }

  static Context WithBudget(std::chrono::milliseconds budget) {
    Context ctx;
    ctx.deadline = std::chrono::steady_clock::now() + budget;
    return ctx;
  }

  asio::io_context server_io_;
  asio::io_context client_io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  EchoService service_;
  Server server_{ServerOptions{"127.0.0.1", 0}};
  std::thread thread_;
  std::unique_ptr<fo::test::Echo::Stub> stub_;
};

TEST_F(GrpcTest, RoundTripCarriesTraceAndDeadline) {
  Context ctx = WithBudget(2s);
  auto parent = telemetry::GetTracer().StartSpan("test", telemetry::SpanKind::kInternal, nullptr);
  ctx.span = parent.Context();
  fo::test::SayRequest request;
  request.set_text("hello");
  auto response = Say(request, ctx);
  EXPECT_EQ(response.text(), "hello");
  EXPECT_EQ(response.traceparent(), parent.Context().TraceIdHex());
  EXPECT_GT(response.remaining_ms(), 1000);
  // grpc-timeout crosses the wire rounded up to its unit, so allow a little over the budget.
  EXPECT_LE(response.remaining_ms(), 2100);
}

TEST_F(GrpcTest, DeadlineExceededBecomesAnError) {
  fo::test::SayRequest request;
  request.set_sleep_ms(1000);
  try {
    Say(request, WithBudget(100ms));
    FAIL() << "expected a deadline error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kDeadlineExceeded);
  }
}

TEST_F(GrpcTest, DomainErrorsMapToStatusCodesAndBack) {
  fo::test::SayRequest request;
  for (auto [kind, expected] : {std::pair{"not_found", ErrorKind::kNotFound},
                                std::pair{"conflict", ErrorKind::kConflict}}) {
    request.set_fail_kind(kind);
    try {
      Say(request, WithBudget(2s));
      FAIL() << "expected an error for " << kind;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), expected);
    }
  }
}

TEST_F(GrpcTest, UnexpectedExceptionsDoNotLeakDetails) {
  fo::test::SayRequest request;
  request.set_fail_kind("crash");
  try {
    Say(request, WithBudget(2s));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
  }
}

TEST_F(GrpcTest, StatusMapping) {
  EXPECT_EQ(CodeOf(ErrorKind::kNotFound), ::grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(CodeOf(ErrorKind::kDeadlineExceeded), ::grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(ErrorFromStatus({::grpc::StatusCode::UNAVAILABLE, "down"}, "m").kind(),
            ErrorKind::kUnavailable);
}

}  // namespace
}  // namespace fo::rpc
