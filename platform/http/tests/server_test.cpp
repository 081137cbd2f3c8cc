// The server over real sockets: framing, limits, timeouts, errors, access checks and draining.
#include "platform/http/server.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "platform/errors/error.hpp"

namespace fo::http {
namespace {
namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    Router router;
    router.Get("/hello", [](Request& req) -> asio::awaitable<Response> {
      co_return Text(status::kOk, "hello " + std::string(req.Query("name").value_or("world")));
    });
    router.Post("/echo", [](Request& req) -> asio::awaitable<Response> {
      co_return Text(status::kOk, req.body);
    });
    router.Get("/slow", [this](Request&) -> asio::awaitable<Response> {
      asio::steady_timer timer(io_, 300ms);
      co_await timer.async_wait(asio::use_awaitable);
      co_return Text(status::kOk, "slow done");
    });
    router.Get("/conflict", [](Request&) -> asio::awaitable<Response> {
      throw Conflict("already there");
      co_return Response{};
    });
    router.Get("/crash", [](Request&) -> asio::awaitable<Response> {
      throw std::runtime_error("password=hunter2");
      co_return Response{};
    });
    router.Get("/items/{id}", [](Request& req) -> asio::awaitable<Response> {
      co_return Text(status::kOk, std::to_string(req.IdParam("id")));
    });
    router.Get(
        "/me",
        [](Request& req) -> asio::awaitable<Response> {
          co_return Text(status::kOk, std::to_string(req.Caller().user_id));
        },
        Access::kUser);
    router.Get(
        "/admin",
        [](Request&) -> asio::awaitable<Response> { co_return Text(status::kOk, "admin"); },
        Access::kAdmin);
    options.address = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<Server>(io_, options, std::move(router),
                                       [](std::string_view token) -> std::optional<Principal> {
                                         if (token == "user-token") return Principal{7, "user", ""};
                                         if (token == "admin-token")
                                           return Principal{1, "admin", ""};
                                         return std::nullopt;
                                       });
    server_->Start();
    thread_ = std::thread([this] { io_.run(); });
  }

  ~ServerTest() override {
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  tcp::socket Connect() {
    tcp::socket socket(client_io_);
    socket.connect({asio::ip::make_address("127.0.0.1"), server_->Port()});
    timeval tv{5, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return socket;
  }

  // Sends raw bytes and reads until the server closes or `responses` responses arrived.
  std::string Exchange(const std::string& raw, int responses = 1, bool close = true) {
    auto socket = Connect();
    asio::write(socket, asio::buffer(raw));
    return ReadResponses(socket, responses, close);
  }

  static std::string ReadResponses(tcp::socket& socket, int responses, bool close) {
    std::string data;
    char buf[65536];
    boost::system::error_code ec;
    while (true) {
      if (!close && CountResponses(data) >= responses) break;
      auto n = socket.read_some(asio::buffer(buf), ec);
      if (ec) break;
      data.append(buf, n);
    }
    return data;
  }

  static int CountResponses(const std::string& data) {
    int count = 0;
    for (std::size_t pos = 0; (pos = data.find("HTTP/1.1 ", pos)) != std::string::npos; ++pos) {
      ++count;
    }
    // A response is complete once its body (Content-Length) has arrived.
    auto last = data.rfind("HTTP/1.1 ");
    auto header_end = data.find("\r\n\r\n", last);
    if (header_end == std::string::npos) return count - 1;
    auto cl = data.find("Content-Length: ", last);
    std::size_t length = cl == std::string::npos ? 0 : std::stoul(data.substr(cl + 16));
    return data.size() >= header_end + 4 + length ? count : count - 1;
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  asio::io_context client_io_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(ServerTest, AnswersWithKeepAliveAndRequestId) {
  StartServer();
  auto socket = Connect();
  asio::write(socket,
              asio::buffer(std::string(
                  "GET /hello?name=ann HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc-1\r\n\r\n")));
  auto first = ReadResponses(socket, 1, false);
  EXPECT_NE(first.find("HTTP/1.1 200 OK"), std::string::npos) << first;
  EXPECT_NE(first.find("hello ann"), std::string::npos);
  EXPECT_NE(first.find("X-Request-Id: abc-1"), std::string::npos);
  asio::write(socket, asio::buffer(std::string("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")));
  auto second = ReadResponses(socket, 1, false);  // same connection still open
  EXPECT_NE(second.find("hello world"), std::string::npos) << second;
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer();
  auto data = Exchange(
      "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirst"
      "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      3);
  auto slow = data.find("slow done"), echo = data.find("first"), hello = data.find("hello world");
  ASSERT_NE(slow, std::string::npos) << data;
  ASSERT_NE(echo, std::string::npos) << data;
  ASSERT_NE(hello, std::string::npos) << data;
  EXPECT_LT(slow, echo);
  EXPECT_LT(echo, hello);
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowedAreProblems) {
  StartServer();
  auto missing = Exchange("GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(missing.find("HTTP/1.1 404"), std::string::npos);
  EXPECT_NE(missing.find("application/problem+json"), std::string::npos);
  EXPECT_NE(missing.find("\"status\":404"), std::string::npos);
  auto wrong = Exchange("DELETE /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(wrong.find("HTTP/1.1 405"), std::string::npos);
  EXPECT_NE(wrong.find("Allow: GET"), std::string::npos);
}

TEST_F(ServerTest, OversizedBodyIs413AndOversizedHeadersAre431) {
  ServerOptions options;
  options.body_limit = 1024;
  options.header_limit = 2048;
  StartServer(options);
  auto big_body = Exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" +
                           std::string(5000, 'a'));
  EXPECT_NE(big_body.find("HTTP/1.1 413"), std::string::npos) << big_body;
  auto big_header =
      Exchange("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'b') + "\r\n\r\n");
  EXPECT_NE(big_header.find("HTTP/1.1 431"), std::string::npos) << big_header;
}

TEST_F(ServerTest, SlowClientsAreCutOff) {
  ServerOptions options;
  options.header_timeout = 200ms;
  StartServer(options);
  auto socket = Connect();
  asio::write(socket, asio::buffer(std::string("GET /hello HTTP/1.1\r\nHo")));
  const auto started = std::chrono::steady_clock::now();
  auto data = ReadResponses(socket, 1, true);  // until the server closes
  // Beast's stream closes the socket when the timer fires: the client sees the connection end.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_TRUE(data.empty()) << data;
}

TEST_F(ServerTest, MalformedRequestIs400) {
  StartServer();
  auto data = Exchange("BLAH /\x01 HTTP/9\r\n\r\n");
  EXPECT_NE(data.find("HTTP/1.1 400"), std::string::npos) << data;
}

TEST_F(ServerTest, ErrorsAreMappedAndInternalsNeverLeak) {
  StartServer();
  auto conflict = Exchange("GET /conflict HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(conflict.find("HTTP/1.1 409"), std::string::npos);
  EXPECT_NE(conflict.find("already there"), std::string::npos);
  auto crash = Exchange("GET /crash HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(crash.find("HTTP/1.1 500"), std::string::npos);
  EXPECT_EQ(crash.find("hunter2"), std::string::npos) << crash;
  EXPECT_NE(crash.find("\"trace_id\""), std::string::npos);
  auto bad_id = Exchange("GET /items/abc HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(bad_id.find("HTTP/1.1 400"), std::string::npos);
  EXPECT_NE(bad_id.find("\"field\":\"id\""), std::string::npos);
}

TEST_F(ServerTest, AccessChecks) {
  StartServer();
  auto get = [&](const std::string& path, const std::string& auth) {
    return Exchange("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth +
                    "\r\n");
  };
  auto anonymous = get("/me", "");
  EXPECT_NE(anonymous.find("HTTP/1.1 401"), std::string::npos);
  EXPECT_NE(anonymous.find("WWW-Authenticate: Bearer"), std::string::npos);
  EXPECT_NE(get("/me", "Authorization: Bearer forged\r\n").find("HTTP/1.1 401"), std::string::npos);
  EXPECT_NE(get("/me", "Authorization: Basic dXNlcg==\r\n").find("HTTP/1.1 401"),
            std::string::npos);
  EXPECT_NE(get("/me", "Authorization: Bearer user-token\r\n").find("\r\n\r\n7"),
            std::string::npos);
  EXPECT_NE(get("/admin", "Authorization: Bearer user-token\r\n").find("HTTP/1.1 403"),
            std::string::npos);
  EXPECT_NE(get("/admin", "Authorization: Bearer admin-token\r\n").find("HTTP/1.1 200"),
            std::string::npos);
  // A public route ignores a bad token rather than failing.
  EXPECT_NE(get("/hello", "Authorization: Bearer forged\r\n").find("HTTP/1.1 200"),
            std::string::npos);
}

TEST_F(ServerTest, DrainFinishesInFlightRequestsAndClosesIdleOnes) {
  StartServer();
  auto idle = Connect();  // connected, never sends anything
  auto busy = Connect();
  asio::write(busy, asio::buffer(std::string("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")));
  std::this_thread::sleep_for(50ms);  // the slow request is now in flight
  auto drained = asio::co_spawn(io_, server_->Drain(5s), asio::use_future);
  auto response = ReadResponses(busy, 1, true);
  EXPECT_NE(response.find("slow done"), std::string::npos) << response;
  EXPECT_NE(response.find("Connection: close"), std::string::npos);
  ASSERT_EQ(drained.wait_for(5s), std::future_status::ready);
  drained.get();
  EXPECT_EQ(server_->ActiveConnections(), 0u);
  char byte;
  boost::system::error_code ec;
  idle.read_some(asio::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec);  // closed by the drain
  tcp::socket late(client_io_);
  late.connect({asio::ip::make_address("127.0.0.1"), server_->Port()}, ec);
  EXPECT_TRUE(ec);  // no longer accepting
}

}  // namespace
}  // namespace fo::http
