#pragma once
// HTTP/1.1 server on Beast and C++20 coroutines: keep-alive, pipelining (requests on one
// connection are answered in order), size limits (413/431), header/read/idle timeouts, and a
// graceful drain. Every request goes through the same pipeline: request id, trace context,
// deadline, routing (404/405), access check (401/403), middleware, handler, error mapping,
// metrics and one access-log line.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "platform/http/router.hpp"

namespace fo::http {

// Verifies a bearer token; nullopt means invalid (401).
using Authenticator = std::function<std::optional<Principal>(std::string_view token)>;

// Runs around the handler; call `next` to continue the chain.
using Next = std::function<boost::asio::awaitable<Response>(Request&)>;
using Middleware = std::function<boost::asio::awaitable<Response>(Request&, const Next&)>;

struct ServerOptions {
  std::string address = "0.0.0.0";
  std::uint16_t port = 8080;  // 0 picks a free port (tests)
  std::size_t body_limit = 1 << 20;
  std::size_t header_limit = 16 << 10;
  std::chrono::milliseconds header_timeout{10'000};  // to receive a whole request
  std::chrono::milliseconds idle_timeout{60'000};    // between keep-alive requests
  std::chrono::milliseconds write_timeout{30'000};
  std::chrono::milliseconds default_deadline{10'000};  // when the client sends none
  std::chrono::milliseconds max_deadline{60'000};
  static ServerOptions FromEnv(std::uint16_t default_port);  // HTTP_PORT, HTTP_* limits
};

class Server {
 public:
  Server(boost::asio::io_context& io, ServerOptions options, Router router,
         Authenticator authenticator = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void Use(Middleware middleware);  // before Start
  void Start();                     // binds and listens; throws when the port is taken
  std::uint16_t Port() const;

  // Stops accepting, closes idle connections, lets in-flight requests finish; connections still
  // busy after `timeout` are closed.
  boost::asio::awaitable<void> Drain(std::chrono::milliseconds timeout);
  std::size_t ActiveConnections() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
  std::uint16_t port_ = 0;  // kept: the acceptor forgets it once closed
};

}  // namespace fo::http
