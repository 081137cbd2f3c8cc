// The client against the platform's own server over real sockets: keep-alive reuse, limits,
// deadlines, refused connections and idle connections the server closed.
#include "platform/http/client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <thread>

#include "platform/http/server.hpp"
#include "platform/testing/run.hpp"

namespace fo::http {
namespace {
namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

ClientRequest Req(std::string method, std::string target, std::string body = "",
                  Headers headers = {}) {
  ClientRequest request;
  request.method = std::move(method);
  request.target = std::move(target);
  request.body = std::move(body);
  request.headers = std::move(headers);
  return request;
}

class ClientTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    Router router;
    router.Post("/echo", [](Request& req) -> asio::awaitable<Response> {
      co_return Text(status::kOk, std::string(req.Header("X-Tag")) + ":" + req.body)
          .With("X-Seen-Method", req.method);
    });
    router.Get("/big", [](Request&) -> asio::awaitable<Response> {
      co_return Text(status::kOk, std::string(4096, 'x'));
    });
    router.Get("/slow", [this](Request&) -> asio::awaitable<Response> {
      asio::steady_timer timer(server_io_, 500ms);
      co_await timer.async_wait(asio::use_awaitable);
      co_return Text(status::kOk, "late");
    });
    options.address = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<Server>(server_io_, options, std::move(router));
    server_->Start();
    thread_ = std::thread([this] { server_io_.run(); });
  }

  ~ClientTest() override {
    work_.reset();
    server_io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  HttpEndpoint Endpoint(ClientOptions options = {}) {
    return HttpEndpoint(io_.get_executor(), "127.0.0.1", std::to_string(server_->Port()), options);
  }

  ClientResponse Send(HttpEndpoint& endpoint, ClientRequest request,
                      std::chrono::milliseconds timeout = 5s) {
    return testing::RunIn(io_, endpoint.Send(request, Clock::now() + timeout));
  }

  ClientError::Kind FailureKind(HttpEndpoint& endpoint, ClientRequest request,
                                std::chrono::milliseconds timeout = 5s) {
    try {
      Send(endpoint, std::move(request), timeout);
    } catch (const ClientError& e) {
      return e.kind();
    }
    ADD_FAILURE() << "expected a ClientError";
    return ClientError::Kind::kProtocol;
  }

  asio::io_context io_;
  asio::io_context server_io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ =
      asio::make_work_guard(server_io_);
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(ClientTest, SendsAndReusesTheConnection) {
  StartServer();
  auto endpoint = Endpoint();
  EXPECT_EQ(endpoint.Authority(), "127.0.0.1:" + std::to_string(server_->Port()));
  for (int i = 0; i < 3; ++i) {
    auto response =
        Send(endpoint, Req("POST", "/echo", "body" + std::to_string(i), {{"X-Tag", "t"}}));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "t:body" + std::to_string(i));
    EXPECT_EQ(FindHeader(response.headers, "x-seen-method"), "POST");
    EXPECT_EQ(endpoint.IdleConnections(), 1u);
  }
  EXPECT_EQ(server_->ActiveConnections(), 1u);  // one connection served all three
}

TEST_F(ClientTest, StatusesAreResponsesAndHeadHasNoBody) {
  StartServer();
  auto endpoint = Endpoint();
  EXPECT_EQ(Send(endpoint, Req("GET", "/nowhere")).status, 404);
  EXPECT_EQ(Send(endpoint, Req("DELETE", "/echo")).status, 405);
  auto head = Send(endpoint, Req("HEAD", "/big"));
  EXPECT_EQ(head.status, 405);  // the server has no HEAD route: still a complete exchange
  EXPECT_EQ(Send(endpoint, Req("GET", "/big")).body.size(), 4096u);
}

TEST_F(ClientTest, RefusedConnectionIsAConnectError) {
  asio::ip::tcp::acceptor probe(io_, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = std::to_string(probe.local_endpoint().port());
  probe.close();  // nothing listens there now
  HttpEndpoint endpoint(io_.get_executor(), "127.0.0.1", port);
  EXPECT_EQ(FailureKind(endpoint, Req("GET", "/")), ClientError::Kind::kConnect);
}

TEST_F(ClientTest, DeadlineCutsASlowResponse) {
  StartServer();
  auto endpoint = Endpoint();
  const auto started = Clock::now();
  EXPECT_EQ(FailureKind(endpoint, Req("GET", "/slow"), 100ms), ClientError::Kind::kTimeout);
  EXPECT_LT(Clock::now() - started, 400ms);
  EXPECT_EQ(endpoint.IdleConnections(), 0u);  // a timed-out connection is never reused
}

TEST_F(ClientTest, OversizedResponseIsRefused) {
  StartServer();
  ClientOptions options;
  options.body_limit = 1000;
  auto endpoint = Endpoint(options);
  EXPECT_EQ(FailureKind(endpoint, Req("GET", "/big")), ClientError::Kind::kTooLarge);
}

TEST_F(ClientTest, AConnectionTheServerClosedWhileIdleIsNeverUsed) {
  ServerOptions options;
  options.idle_timeout = 100ms;  // the server hangs up on idle keep-alive connections
  StartServer(options);
  auto endpoint = Endpoint();
  EXPECT_EQ(Send(endpoint, Req("POST", "/echo", "a")).status, 200);
  std::this_thread::sleep_for(300ms);
  ASSERT_EQ(endpoint.IdleConnections(), 1u);  // still pooled: nothing has read its EOF yet
  // Not replayable, so it could not be retried had it gone out on the dead connection: the
  // client sees the close before sending and takes a new connection.
  auto response = Send(endpoint, Req("POST", "/echo", "b"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, ":b");
  EXPECT_EQ(endpoint.IdleConnections(), 1u);  // the new one, back in the pool

  std::this_thread::sleep_for(300ms);
  auto replayable = Req("POST", "/echo", "c");
  replayable.replayable = true;
  response = Send(endpoint, replayable);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, ":c");
}

TEST_F(ClientTest, ConnectionsIdleForTooLongAreNotReused) {
  StartServer();
  ClientOptions options;
  options.idle_timeout = 50ms;
  auto endpoint = Endpoint(options);
  EXPECT_EQ(Send(endpoint, Req("POST", "/echo", "a")).status, 200);
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(Send(endpoint, Req("POST", "/echo", "b")).status, 200);  // a new connection
  EXPECT_EQ(endpoint.IdleConnections(), 1u);
}

}  // namespace
}  // namespace fo::http
