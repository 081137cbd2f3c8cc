#include "platform/http/client.hpp"

#include <sys/socket.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <deque>
#include <mutex>

#include "platform/http/detail/parsers.hpp"
#include "platform/http/wire.hpp"

namespace fo::http {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

struct Connection {
  explicit Connection(const asio::any_io_executor& executor) : stream(executor) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::string head;  // the request head being written, its capacity kept across requests
  Clock::time_point idle_since;
};

// A reused connection that fails before any byte of the response arrives was most likely
// closed by the server while idle.
bool LooksStale(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
}

// An idle connection whose server has closed it (restarted, or its idle timeout) reads as EOF
// at once. Sending on it would fail, and a request that may not be replayed (a POST without an
// Idempotency-Key) could not be retried: such connections are dropped before reuse. Under load
// connections come back within microseconds, and the check is skipped.
constexpr auto kCheckIdleAfter = std::chrono::milliseconds(10);

bool ClosedByPeer(Connection& connection) {
  char byte = 0;
  const auto got =
      ::recv(connection.stream.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (got < 0) return errno != EAGAIN && errno != EWOULDBLOCK;  // alive and quiet: reuse it
  return true;  // 0: closed; > 0: bytes nobody asked for, the connection is out of step
}

}  // namespace

struct HttpEndpoint::Impl {
  Impl(asio::any_io_executor executor_in, std::string host_in, std::string port_in,
       ClientOptions options_in)
      : executor(std::move(executor_in)),
        host(std::move(host_in)),
        port(std::move(port_in)),
        authority(host + ":" + port),
        options(options_in) {}

  asio::any_io_executor executor;
  std::string host;
  std::string port;
  std::string authority;
  ClientOptions options;
  mutable std::mutex mutex;
  std::deque<std::unique_ptr<Connection>> idle;  // most recently used at the back

  std::unique_ptr<Connection> TakeIdle() {
    const auto now = Clock::now();
    std::lock_guard lock(mutex);
    while (!idle.empty()) {
      auto connection = std::move(idle.back());
      idle.pop_back();
      const auto idle_for = now - connection->idle_since;
      if (idle_for >= options.idle_timeout) continue;
      if (idle_for >= kCheckIdleAfter && ClosedByPeer(*connection)) continue;
      return connection;
    }
    return nullptr;
  }

  void GiveBack(std::unique_ptr<Connection> connection) {
    connection->idle_since = Clock::now();
    std::lock_guard lock(mutex);
    if (idle.size() >= options.max_idle) idle.pop_front();  // the oldest goes
    idle.push_back(std::move(connection));
  }

  asio::awaitable<std::unique_ptr<Connection>> Connect(Clock::time_point deadline) {
    auto connection = std::make_unique<Connection>(executor);
    tcp::resolver resolver(executor);
    auto [resolve_ec, endpoints] = co_await resolver.async_resolve(host, port, kTuple);
    if (resolve_ec) {
      throw ClientError(ClientError::Kind::kConnect,
                        "cannot resolve " + authority + ": " + resolve_ec.message());
    }
    const bool deadline_first = deadline < Clock::now() + options.connect_timeout;
    connection->stream.expires_at(deadline_first ? deadline
                                                 : Clock::now() + options.connect_timeout);
    auto [connect_ec, endpoint] = co_await connection->stream.async_connect(endpoints, kTuple);
    if (connect_ec) {
      if (connect_ec == beast::error::timeout && deadline_first) {
        throw ClientError(ClientError::Kind::kTimeout,
                          "deadline passed connecting to " + authority);
      }
      throw ClientError(ClientError::Kind::kConnect,
                        "cannot connect to " + authority + ": " + connect_ec.message());
    }
    connection->stream.socket().set_option(tcp::no_delay(true));
    co_return connection;
  }
};

HttpEndpoint::HttpEndpoint(asio::any_io_executor executor, std::string host, std::string port,
                           ClientOptions options)
    : impl_(
          std::make_shared<Impl>(std::move(executor), std::move(host), std::move(port), options)) {}

HttpEndpoint::~HttpEndpoint() = default;

const std::string& HttpEndpoint::Authority() const { return impl_->authority; }

std::size_t HttpEndpoint::IdleConnections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->idle.size();
}

void HttpEndpoint::CloseIdle() {
  std::lock_guard lock(impl_->mutex);
  impl_->idle.clear();
}

asio::awaitable<ClientResponse> HttpEndpoint::Send(const ClientRequest& request,
                                                   Clock::time_point deadline) {
  auto impl = impl_;  // alive until the coroutine ends, even if the endpoint goes first
  const bool head = request.method == "HEAD";
  for (int attempt = 0;; ++attempt) {
    if (Clock::now() >= deadline) {
      throw ClientError(ClientError::Kind::kTimeout, "deadline passed before sending");
    }
    auto connection = impl->TakeIdle();
    const bool reused = connection != nullptr;
    if (!connection) connection = co_await impl->Connect(deadline);
    auto& stream = connection->stream;
    stream.expires_at(deadline);
    WriteRequestHead(connection->head, request);
    std::array<asio::const_buffer, 2> buffers{asio::buffer(connection->head),
                                              asio::buffer(request.body)};
    auto [write_ec, written] = co_await asio::async_write(stream, buffers, kTuple);
    ClientResponse response;
    response.headers.reserve(12);
    detail::ResponseParser parser(response);
    parser.header_limit(static_cast<std::uint32_t>(impl->options.header_limit));
    parser.body_limit(impl->options.body_limit);
    parser.skip(head);  // a HEAD response announces a body it does not carry
    beast::error_code ec = write_ec;
    if (!ec) {
      auto [read_ec, read] = co_await bhttp::async_read(stream, connection->buffer, parser, kTuple);
      ec = read_ec;
    }
    if (!ec) {
      const bool keep = parser.keep_alive() && connection->buffer.size() == 0;
      if (keep) impl->GiveBack(std::move(connection));
      co_return response;
    }
    if (ec == beast::error::timeout) {
      throw ClientError(ClientError::Kind::kTimeout,
                        "deadline passed waiting for " + impl->authority);
    }
    if (ec == bhttp::error::header_limit || ec == bhttp::error::body_limit) {
      throw ClientError(ClientError::Kind::kTooLarge,
                        "response from " + impl->authority + " is too large");
    }
    if (reused && attempt == 0 && !parser.got_some() && LooksStale(ec) && request.replayable) {
      continue;  // the server closed that idle connection; one more try on a new one
    }
    if (ec.category() == beast::error_code(bhttp::error::bad_version).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      throw ClientError(ClientError::Kind::kProtocol,
                        "invalid response from " + impl->authority + ": " + ec.message());
    }
    throw ClientError(ClientError::Kind::kConnectionLost,
                      "connection to " + impl->authority + " failed: " + ec.message());
  }
}

}  // namespace fo::http
