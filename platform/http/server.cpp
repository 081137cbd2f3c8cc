#include "platform/http/server.hpp"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>
#include <mutex>
#include <set>

#include "platform/config/env.hpp"
#include "platform/http/detail/parsers.hpp"
#include "platform/http/pipeline.hpp"
#include "platform/http/problem.hpp"
#include "platform/http/wire.hpp"
#include "platform/telemetry/log/log.hpp"

namespace fo::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

ServerOptions ServerOptions::FromEnv(std::uint16_t default_port) {
  ServerOptions o;
  o.address = config::String("HTTP_ADDRESS", o.address);
  o.port = static_cast<std::uint16_t>(config::Int("HTTP_PORT", default_port, 0, 65535));
  o.body_limit = static_cast<std::size_t>(
      config::Int("HTTP_BODY_LIMIT_BYTES", static_cast<std::int64_t>(o.body_limit), 1));
  o.idle_timeout = config::Millis("HTTP_IDLE_TIMEOUT_MS", o.idle_timeout);
  o.header_timeout = config::Millis("HTTP_READ_TIMEOUT_MS", o.header_timeout);
  o.default_deadline = config::Millis("HTTP_REQUEST_TIMEOUT_MS", o.default_deadline);
  return o;
}

namespace {

// One connection's stream, shared with the drain logic so idle connections can be closed.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool idle = true;  // touched only on the connection's strand
  std::string head;  // the response head being written, its capacity kept across requests
};

// Path and query from the target the parser filled in.
void DecodeTarget(Request& request) {
  auto parsed = boost::urls::parse_origin_form(request.target);
  if (parsed) {
    request.path = std::string(parsed->path());
    for (auto param : parsed->params()) request.query.emplace_back(param.key, param.value);
  } else {
    request.path = request.target.substr(0, request.target.find('?'));
  }
}

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Server::Impl> {
  Impl(asio::io_context& io_context, ServerOptions opts, Router router, Authenticator auth)
      : io(io_context),
        options(std::move(opts)),
        acceptor(asio::make_strand(io_context)),  // Drain closes it from another thread
        pipeline(std::move(router), std::move(auth), options.default_deadline,
                 options.max_deadline) {}

  asio::io_context& io;
  ServerOptions options;
  tcp::acceptor acceptor;
  Pipeline pipeline;
  std::atomic<bool> draining{false};
  mutable std::mutex mutex;
  std::set<std::shared_ptr<Connection>> connections;

  asio::awaitable<void> Accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kTuple);
      if (ec) {
        if (draining || ec == asio::error::operation_aborted) co_return;
        log::Warn("accept failed", {{"error", ec.message()}});
        continue;
      }
      socket.set_option(tcp::no_delay(true));
      auto connection = std::make_shared<Connection>(std::move(socket));
      {
        std::lock_guard lock(mutex);
        connections.insert(connection);
      }
      auto executor = connection->stream.get_executor();
      asio::co_spawn(executor, Serve(connection),
                     [self = shared_from_this(), connection](std::exception_ptr error) {
                       if (error) log::Error("connection ended with an exception");
                       std::lock_guard lock(self->mutex);
                       self->connections.erase(connection);
                     });
    }
  }

  asio::awaitable<void> Reply(Connection& c, Response&& response, unsigned version, bool keep_alive,
                              bool head_request = false) {
    WriteResponseHead(c.head, response, version, keep_alive);
    const bool body = !head_request && !BodylessStatus(response.status);
    std::array<asio::const_buffer, 2> buffers{
        asio::buffer(c.head), asio::buffer(response.body.data(), body ? response.body.size() : 0)};
    c.stream.expires_after(options.write_timeout);
    co_await asio::async_write(c.stream, buffers, kTuple);
  }

  asio::awaitable<void> Serve(std::shared_ptr<Connection> connection) {
    Connection& c = *connection;
    beast::flat_buffer buffer;
    beast::error_code ignored;
    const auto endpoint = c.stream.socket().remote_endpoint(ignored);
    const auto remote = endpoint.address().to_string();
    bool first = true;
    while (!draining) {
      Request request;
      request.headers.reserve(12);
      detail::RequestParser parser(request);
      parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
      parser.body_limit(options.body_limit);
      // Waiting for the next request on a kept-alive connection is "idle"; a drain may close it.
      c.idle = true;
      c.stream.expires_after(first && buffer.size() == 0 ? options.header_timeout
                                                         : options.idle_timeout);
      auto [header_ec, header_bytes] =
          co_await bhttp::async_read_header(c.stream, buffer, parser, kTuple);
      c.idle = false;
      if (!header_ec && !parser.is_done()) {
        c.stream.expires_after(options.header_timeout);
        auto [body_ec, body_bytes] = co_await bhttp::async_read(c.stream, buffer, parser, kTuple);
        header_ec = body_ec;
      }
      first = false;
      if (header_ec == bhttp::error::header_limit) {
        co_await Reply(c, Problem(status::kHeadersTooLarge, "request headers are too large"), 11,
                       false);
        break;
      }
      if (header_ec == bhttp::error::body_limit) {
        co_await Reply(
            c,
            Problem(status::kPayloadTooLarge, "the request body is larger than " +
                                                  std::to_string(options.body_limit) + " bytes"),
            11, false);
        break;
      }
      if (header_ec) {
        // end_of_stream, idle timeout, reset, or a malformed request: answer what we can.
        if (header_ec != bhttp::error::end_of_stream &&
            header_ec.category() == beast::error_code(bhttp::error::bad_method).category()) {
          co_await Reply(c, Problem(status::kBadRequest, "malformed HTTP request"), 11, false);
        }
        break;
      }
      const unsigned version = parser.Version();
      const bool keep_alive = parser.keep_alive();
      const bool head_request = request.method == "HEAD";
      DecodeTarget(request);
      request.remote_address = remote;
      Response response = co_await pipeline.Handle(request);
      const bool keep = keep_alive && !draining;
      co_await Reply(c, std::move(response), version, keep, head_request);
      if (!keep) break;
    }
    c.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    c.stream.close();
  }

  // Closes connections that wait for a request; busy ones close after their response.
  void CloseIdle() {
    std::lock_guard lock(mutex);
    for (const auto& connection : connections) {
      asio::post(connection->stream.get_executor(), [connection] {
        if (connection->idle) connection->stream.cancel();
      });
    }
  }
};

Server::Server(asio::io_context& io, ServerOptions options, Router router,
               Authenticator authenticator)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(router),
                                   std::move(authenticator))) {}

Server::~Server() = default;

void Server::Use(Middleware middleware) { impl_->pipeline.Use(std::move(middleware)); }

void Server::Start() {
  auto address = asio::ip::make_address(impl_->options.address);
  tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  beast::error_code ec;
  acceptor.bind(endpoint, ec);
  if (ec) {
    throw std::runtime_error("cannot listen on " + impl_->options.address + ":" +
                             std::to_string(impl_->options.port) + ": " + ec.message() +
                             " (set HTTP_PORT to another port)");
  }
  acceptor.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor.local_endpoint().port();
  // What this process answers, at debug level: the API contract test compares it with
  // api/openapi, and an operator can see at a glance what a build serves.
  if (log::Enabled(log::Level::kDebug)) {
    for (const auto& [method, pattern] : impl_->pipeline.Routes().MethodsAndPatterns()) {
      log::Debug("route",
                 {{"method", std::string_view(method)}, {"pattern", std::string_view(pattern)}});
    }
  }
  asio::co_spawn(acceptor.get_executor(), impl_->Accept(), asio::detached);
}

std::uint16_t Server::Port() const { return port_; }

std::size_t Server::ActiveConnections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections.size();
}

asio::awaitable<void> Server::Drain(std::chrono::milliseconds timeout) {
  impl_->draining = true;
  asio::post(impl_->acceptor.get_executor(), [impl = impl_] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  impl_->CloseIdle();
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (ActiveConnections() > 0 && std::chrono::steady_clock::now() < until) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(use_awaitable);
    impl_->CloseIdle();
  }
  if (ActiveConnections() > 0) {
    log::Warn("drain timed out; closing busy connections",
              {{"connections", static_cast<std::int64_t>(ActiveConnections())}});
    std::lock_guard lock(impl_->mutex);
    for (const auto& connection : impl_->connections) {
      asio::post(connection->stream.get_executor(), [connection] {
        beast::error_code ignored;
        connection->stream.socket().close(ignored);
      });
    }
  }
}

}  // namespace fo::http
