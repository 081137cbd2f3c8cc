#include "platform/telemetry/tracing/http_client.hpp"

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <utility>

namespace fo::telemetry {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t kMaxResponseBody = 1 << 20;
constexpr std::size_t kMaxErrorDetail = 200;

// Beast's Body for HttpClient::BodyParts: one buffer sequence of the three parts.
struct PartsBody {
  using value_type = HttpClient::BodyParts;

  static std::uint64_t size(const value_type& parts) {
    return parts[0].size() + parts[1].size() + parts[2].size();
  }

  class writer {
   public:
    using const_buffers_type = std::array<asio::const_buffer, 3>;

    template <bool kIsRequest, class Fields>
    writer(const http::header<kIsRequest, Fields>& /*header*/, const value_type& parts)
        : parts_(parts) {}

    static void init(beast::error_code& ec) { ec = {}; }

    boost::optional<std::pair<const_buffers_type, bool>> get(beast::error_code& ec) {
      ec = {};
      return std::pair<const_buffers_type, bool>{
          const_buffers_type{asio::buffer(parts_[0]), asio::buffer(parts_[1]),
                             asio::buffer(parts_[2])},
          false};
    }

   private:
    const value_type& parts_;
  };
};

HttpResult Failure(std::string error, bool retryable, int status = 0) {
  return HttpResult{
      .ok = false, .retryable = retryable, .status = status, .error = std::move(error)};
}

}  // namespace

std::optional<HttpUrl> ParseHttpUrl(std::string_view url) {
  static constexpr std::string_view kScheme = "http://";
  if (url.size() < kScheme.size() || url.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  url.remove_prefix(kScheme.size());
  const std::size_t path_start = url.find_first_of("/?");
  std::string_view authority = url.substr(0, path_start);
  HttpUrl out;
  out.target = path_start == std::string_view::npos ? "/" : std::string(url.substr(path_start));
  if (out.target.front() == '?') out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no userinfo
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(authority.substr(1, close - 1));
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return std::nullopt;
    port = rest.empty() ? rest : rest.substr(1);
  } else {
    const std::size_t colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    port = colon == std::string_view::npos ? std::string_view() : authority.substr(colon + 1);
  }
  if (out.host.empty() || port.size() > 5) return std::nullopt;
  for (char c : port) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  out.port = port.empty() ? "80" : std::string(port);
  return out;
}

struct HttpClient::Impl {
  HttpUrl url;
  KeyValues headers;
  std::string host_header;
  asio::io_context ioc{1};
  beast::tcp_stream stream{ioc};
  std::optional<tcp::resolver::results_type> endpoints;  // cached until a connect fails
  beast::flat_buffer buffer;
  bool connected = false;
  std::atomic<bool> cancelled{false};

  // Starts one async operation and runs the private io_context until it completes; the stream's
  // expiry (set by the caller) turns a stall into beast::error::timeout.
  template <typename Start>
  beast::error_code Run(Start start) {
    // Checked before every operation, so one started after Cancel() never waits for its expiry.
    if (cancelled.load()) return asio::error::operation_aborted;
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  void Close() {
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.close();
    buffer.clear();
    connected = false;
  }

  std::optional<HttpResult> Connect(std::chrono::steady_clock::time_point deadline) {
    if (!endpoints) {
      tcp::resolver resolver(ioc);
      beast::error_code ec;
      auto results = resolver.resolve(url.host, url.port, ec);
      if (ec) return Failure("resolve " + url.host + ": " + ec.message(), true);
      endpoints = std::move(results);
    }
    stream.expires_at(deadline);
    const beast::error_code ec =
        Run([&](auto handler) { stream.async_connect(*endpoints, std::move(handler)); });
    if (ec) {
      endpoints.reset();
      Close();
      return Failure("connect " + url.host + ":" + url.port + ": " + ec.message(), true);
    }
    beast::error_code ignored;
    stream.socket().set_option(tcp::no_delay(true), ignored);
    connected = true;
    return std::nullopt;
  }
};

HttpClient::HttpClient(HttpUrl url, KeyValues headers) : impl_(std::make_unique<Impl>()) {
  const bool ipv6 = url.host.find(':') != std::string::npos;
  impl_->host_header = ipv6 ? "[" + url.host + "]" : url.host;
  if (url.port != "80") impl_->host_header += ":" + url.port;
  impl_->url = std::move(url);
  impl_->headers = std::move(headers);
}

HttpClient::~HttpClient() {
  if (impl_->connected) impl_->Close();
}

void HttpClient::Cancel() {
  impl_->cancelled.store(true);
  // Runs on the exporter thread inside its next (or current) Run, so the stream is only ever
  // touched by that thread.
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->stream.cancel(); });
}

HttpResult HttpClient::Post(std::string_view content_type, const BodyParts& body,
                            std::chrono::steady_clock::time_point deadline) {
  Impl& impl = *impl_;
  if (impl.cancelled.load()) return Failure("cancelled", false);
  if (std::chrono::steady_clock::now() >= deadline) return Failure("deadline passed", false);
  if (!impl.connected) {
    if (auto failure = impl.Connect(deadline)) return *failure;
  }

  http::request<PartsBody> request{http::verb::post, impl.url.target, 11};
  request.set(http::field::host, impl.host_header);
  request.set(http::field::user_agent, "full-observability-otlp");
  request.set(http::field::content_type, content_type);
  for (const auto& [name, value] : impl.headers) request.set(name, value);
  request.keep_alive(true);
  request.body() = body;
  request.prepare_payload();

  impl.stream.expires_at(deadline);
  beast::error_code ec =
      impl.Run([&](auto handler) { http::async_write(impl.stream, request, std::move(handler)); });
  if (ec) {
    impl.Close();  // also covers a keep-alive connection the server closed meanwhile
    return Failure("write: " + ec.message(), true);
  }

  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBody);
  impl.stream.expires_at(deadline);
  ec = impl.Run([&](auto handler) {
    http::async_read(impl.stream, impl.buffer, parser, std::move(handler));
  });
  if (ec) {
    impl.Close();
    return Failure("read: " + ec.message(), true);
  }
  const auto& response = parser.get();
  if (!response.keep_alive()) impl.Close();
  const int status = static_cast<int>(response.result_int());
  if (status / 100 == 2)
    return HttpResult{.ok = true, .retryable = false, .status = status, .error = {}};
  const bool retryable = status == 429 || status == 502 || status == 503 || status == 504;
  return Failure(
      "HTTP " + std::to_string(status) + ": " + response.body().substr(0, kMaxErrorDetail),
      retryable, status);
}

}  // namespace fo::telemetry
