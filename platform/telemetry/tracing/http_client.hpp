#pragma once
// Minimal blocking HTTP/1.1 POST client for the exporter thread, over Boost.Beast. Beast's
// tcp_stream timeouts only apply to asynchronous operations, so each call runs async operations
// on a private io_context until they finish: blocking for the caller, bounded by the deadline.
// Keeps one keep-alive connection. Plain http:// only.
#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "platform/telemetry/tracing/config.hpp"

namespace fo::telemetry {

struct HttpUrl {
  std::string host;  // without IPv6 brackets
  std::string port;
  std::string target;  // path and query, at least "/"
};

// Accepts "http://host[:port][/path]" (IPv6 hosts in brackets); nullopt for anything else.
std::optional<HttpUrl> ParseHttpUrl(std::string_view url);

struct HttpResult {
  bool ok = false;         // 2xx
  bool retryable = false;  // transport error or 429/502/503/504 (the OTLP retryable statuses)
  int status = 0;          // 0 when no response was read
  std::string error;       // empty when ok
};

class HttpClient {
 public:
  HttpClient(HttpUrl url, KeyValues headers);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // A body sent from where its parts are, in order, in one write: never copied into one buffer.
  using BodyParts = std::array<std::string_view, 3>;

  // One attempt, reusing the open connection if any. Host name resolution is blocking and not
  // bounded by the deadline (it is cached after the first success).
  HttpResult Post(std::string_view content_type, const BodyParts& body,
                  std::chrono::steady_clock::time_point deadline);
  // Thread-safe: aborts the request in flight and fails every later one.
  void Cancel();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fo::telemetry
