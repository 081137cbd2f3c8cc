#include "services/gateway/app/forwarder.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <vector>

#include "platform/http/problem.hpp"
#include "platform/resilience/backoff.hpp"
#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "platform/telemetry/tracing/trace_context.hpp"
#include "platform/telemetry/tracing/tracer.hpp"
#include "services/gateway/domain/forwarding.hpp"

namespace fo::gateway::app {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

struct Metrics {
  metrics::CounterChildren attempts{
      metrics::Global().Counter(
          "gateway_upstream_attempts_total",
          "Requests sent upstream, by upstream and outcome (status class or error)."),
      {"upstream", "outcome"}};
  metrics::HistogramChildren duration{
      metrics::Global().Histogram("gateway_upstream_request_duration_seconds",
                                  "Time an upstream took to answer one attempt."),
      {"upstream"},
      metrics::LatencyBuckets()};
  metrics::CounterChildren retries{
      metrics::Global().Counter("gateway_upstream_retries_total",
                                "Attempts after the first, by upstream."),
      {"upstream"}};
  metrics::CounterChildren unavailable{
      metrics::Global().Counter(
          "gateway_upstream_unavailable_total",
          "Requests answered 503 without an attempt: no healthy instance with a closed breaker."),
      {"upstream"}};
};

Metrics& M() {
  static Metrics metrics;
  return metrics;
}

bool RetryableStatus(int status) { return status == 502 || status == 503 || status == 504; }

std::string OutcomeLabel(int status) { return std::to_string(status / 100) + "xx"; }

std::string_view ErrorLabel(http::ClientError::Kind kind) {
  switch (kind) {
    case http::ClientError::Kind::kConnect:
      return "connect_error";
    case http::ClientError::Kind::kTimeout:
      return "timeout";
    case http::ClientError::Kind::kConnectionLost:
      return "connection_lost";
    case http::ClientError::Kind::kProtocol:
      return "protocol_error";
    case http::ClientError::Kind::kTooLarge:
      return "too_large";
  }
  return "error";
}

http::Response FromUpstream(http::ClientResponse&& upstream) {
  http::Response response;
  response.status = upstream.status;
  response.headers = ClientResponseHeaders(std::move(upstream.headers));
  response.body = std::move(upstream.body);
  return response;
}

std::int64_t Seconds(std::chrono::milliseconds wait) {
  return std::max<std::int64_t>(1, (wait.count() + 999) / 1000);
}

}  // namespace

bool SafeToRetry(std::string_view method, bool has_idempotency_key) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
         method == "OPTIONS" || (method == "POST" && has_idempotency_key);
}

asio::awaitable<ForwardResult> Forward(Pool& pool, http::ClientRequest request,
                                       const ForwardOptions& options, const Context& ctx) {
  auto trace_id = [&ctx] { return ctx.span.TraceIdHex(); };  // for refusals only
  const int attempts = options.retryable ? std::max(1, options.max_attempts) : 1;
  request.replayable = options.retryable;
  const std::size_t fixed_headers = request.headers.size();
  std::vector<std::size_t> tried;
  ForwardResult result;
  std::string last_error;  // why the last attempt failed, when it got no response
  bool timed_out = false;

  for (int attempt = 1; attempt <= attempts; ++attempt) {
    if (attempt > 1) {
      const auto delay = resilience::Backoff(attempt - 1, options.backoff_base);
      if (Clock::now() + delay >= ctx.deadline) break;  // no time left for another try
      asio::steady_timer timer(co_await asio::this_coro::executor, delay);
      co_await timer.async_wait(asio::use_awaitable);
      M().retries.With({pool.Name()}).Increment();
    }
    auto choice = pool.Choose(options.hash_key, tried);
    if (!choice) {
      if (attempt > 1) break;  // answer with what the last attempt got
      M().unavailable.With({pool.Name()}).Increment();
      result.response =
          http::Problem(http::status::kUnavailable,
                        "the " + pool.Name() + " service is unavailable; try again shortly", {},
                        trace_id())
              .With("Retry-After", std::to_string(Seconds(pool.RetryAfter())));
      co_return result;
    }
    tried.push_back(choice->instance);
    result.attempts = attempt;

    const auto authority = pool.Authority(choice->instance);
    auto span =
        telemetry::GetTracer().StartSpan(request.method, telemetry::SpanKind::kClient, &ctx.span);
    span.SetAttribute("http.request.method", request.method);
    span.SetAttribute("server.address", authority.substr(0, authority.rfind(':')));
    span.SetAttribute("server.port", authority.substr(authority.rfind(':') + 1));
    span.SetAttribute("url.full", "http://" + std::string(authority) + request.target);
    if (attempt > 1) span.SetAttribute("http.request.resend_count", attempt - 1);
    request.headers.resize(fixed_headers);
    request.headers.emplace_back("Host", authority);
    if (span.Context().IsValid()) {
      request.headers.emplace_back("traceparent", telemetry::FormatTraceparent(span.Context()));
      if (!span.Context().trace_state.empty()) {
        request.headers.emplace_back("tracestate", span.Context().trace_state);
      }
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(ctx.deadline - Clock::now());
    request.headers.emplace_back("X-Request-Timeout-Ms",
                                 std::to_string(std::max<std::int64_t>(1, left.count())));

    const auto started = Clock::now();
    std::optional<http::ClientResponse> answer;
    std::optional<http::ClientError::Kind> failure;
    try {
      answer = co_await pool.Send(choice->instance, request, ctx.deadline);
    } catch (const http::ClientError& e) {
      failure = e.kind();
      last_error = e.what();
      span.RecordException(e);
      span.SetStatus(telemetry::StatusCode::kError, e.what());
    }
    const auto latency = Clock::now() - started;
    M().duration.With({pool.Name()}).Observe(std::chrono::duration<double>(latency).count());
    const bool success = answer && answer->status < 500;
    pool.Report(*choice, success, latency);

    if (answer) {
      M().attempts.With({pool.Name(), OutcomeLabel(answer->status)}).Increment();
      span.SetAttribute("http.response.status_code", answer->status);
      if (answer->status >= 500) span.SetStatus(telemetry::StatusCode::kError);
      const bool again = options.retryable && RetryableStatus(answer->status) && attempt < attempts;
      result.response = FromUpstream(std::move(*answer));
      result.from_upstream = true;
      if (!again) co_return result;
      continue;
    }
    M().attempts.With({pool.Name(), ErrorLabel(*failure)}).Increment();
    result.from_upstream = false;
    if (*failure == http::ClientError::Kind::kTimeout) {
      timed_out = true;
      break;  // the deadline is spent
    }
    if (*failure == http::ClientError::Kind::kProtocol ||
        *failure == http::ClientError::Kind::kTooLarge) {
      break;  // the upstream answered, badly: a retry would get the same
    }
  }

  if (result.from_upstream) co_return result;  // the last attempt's 502/503/504
  if (timed_out) {
    result.response =
        http::Problem(http::status::kGatewayTimeout,
                      "the " + pool.Name() + " service did not answer in time", {}, trace_id());
  } else {
    // The cause names internal addresses: it goes to the log, the client gets the trace id.
    log::Warn("upstream failed", {{"upstream", pool.Name()}, {"error", last_error}},
              {trace_id(), ctx.span.SpanIdHex()});
    result.response =
        http::Problem(502, "the " + pool.Name() + " service failed to answer", {}, trace_id());
  }
  co_return result;
}

}  // namespace fo::gateway::app
