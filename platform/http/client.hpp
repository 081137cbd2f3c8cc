#pragma once
// Asynchronous HTTP/1.1 client for one upstream endpoint (host:port) with a pool of keep-alive
// connections: what a proxy, a health checker or a key fetcher needs. Thread-safe; requests from
// many coroutines run in parallel, each on a connection of its own. Beast stays in client.cpp.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

#include "platform/http/message.hpp"

namespace fo::http {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{1'000};
  // A pooled connection idle for longer is closed rather than reused: below the servers' own
  // idle timeout (60 s), so a request rarely meets a connection the server is closing.
  std::chrono::milliseconds idle_timeout{30'000};
  std::size_t max_idle = 256;
  std::size_t header_limit = 64 << 10;
  std::size_t body_limit = 8 << 20;
};

struct ClientRequest {
  std::string method;
  std::string target;  // origin form: path and query
  Headers headers;     // sent as given, plus Content-Length; the caller sets Host
  std::string body;
  // May be sent twice: when a reused connection turns out to be closed by the server, the
  // request is repeated once on a new connection. Only for requests whose repetition is safe.
  bool replayable = false;
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

class ClientError : public std::runtime_error {
 public:
  enum class Kind {
    kConnect,         // no connection could be made: the request was not sent
    kTimeout,         // the deadline passed (before or after sending)
    kConnectionLost,  // the connection failed after the request may have been sent
    kProtocol,        // the response was not valid HTTP/1.1
    kTooLarge,        // the response exceeded the header or body limit
  };
  ClientError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

class HttpEndpoint {
 public:
  HttpEndpoint(boost::asio::any_io_executor executor, std::string host, std::string port,
               ClientOptions options = {});
  ~HttpEndpoint();
  HttpEndpoint(const HttpEndpoint&) = delete;
  HttpEndpoint& operator=(const HttpEndpoint&) = delete;

  // Throws ClientError. Any status is a response, 5xx included.
  boost::asio::awaitable<ClientResponse> Send(const ClientRequest& request,
                                              std::chrono::steady_clock::time_point deadline);

  const std::string& Authority() const;  // host:port, for Host headers, logs and labels
  std::size_t IdleConnections() const;
  void CloseIdle();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace fo::http
