#include "platform/http/pipeline.hpp"

#include <strings.h>

#include <charconv>
#include <random>

#include "platform/http/problem.hpp"
#include "platform/telemetry/log/log.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "platform/telemetry/tracing/trace_context.hpp"
#include "platform/telemetry/tracing/tracer.hpp"

namespace fo::http {
namespace {

using Clock = std::chrono::steady_clock;

bool IsValidRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  std::uint64_t a = rng(), b = rng();
  for (std::size_t i = 0; i < 16; ++i, a >>= 4, b >>= 4) {
    id[i] = kHex[a & 0xF];
    id[i + 16] = kHex[b & 0xF];
  }
  return id;
}

// Deadline from the caller's remaining-time header, capped; the route default otherwise.
Clock::time_point DeadlineFor(const Request& request, std::chrono::milliseconds fallback,
                              std::chrono::milliseconds cap) {
  auto header = request.Header("X-Request-Timeout-Ms");
  std::int64_t ms = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), ms);
  if (!header.empty() && ec == std::errc() && end == header.data() + header.size() && ms > 0) {
    return Clock::now() + std::min(std::chrono::milliseconds(ms), cap);
  }
  return Clock::now() + fallback;
}

bool IsProbe(std::string_view route) {
  return route == "/livez" || route == "/readyz" || route == "/metrics" || route == "/health";
}

}  // namespace

struct Pipeline::Metrics {
  metrics::CounterChildren requests{
      metrics::Global().Counter("http_server_requests_total",
                                "HTTP requests answered, by method, route and status."),
      {"method", "route", "status"}};
  metrics::HistogramChildren duration{
      metrics::Global().Histogram("http_server_request_duration_seconds",
                                  "Time from parsed request to response ready."),
      {"method", "route", "status"},
      metrics::LatencyBuckets()};
  prometheus::Gauge& active =
      metrics::Global()
          .Gauge("http_server_active_requests", "HTTP requests being handled now.")
          .Add({});
};

Pipeline::Pipeline(Router router, Authenticator authenticator,
                   std::chrono::milliseconds default_deadline,
                   std::chrono::milliseconds max_deadline)
    : router_(std::move(router)),
      authenticator_(std::move(authenticator)),
      default_deadline_(default_deadline),
      max_deadline_(max_deadline),
      metrics_(std::make_unique<Metrics>()) {}

Pipeline::~Pipeline() = default;

std::optional<Response> Pipeline::CheckAccess(Request& request, Access access) const {
  auto authorization = request.Header("Authorization");
  // The scheme is case-insensitive (RFC 9110 §11.1).
  if (authorization.size() > 7 && ::strncasecmp(authorization.data(), "bearer ", 7) == 0) {
    if (authenticator_) {
      try {
        request.principal = authenticator_(authorization.substr(7));
      } catch (const std::exception&) {
        request.principal.reset();  // a token we cannot make sense of is no token
      }
    }
    if (!request.principal && access != Access::kPublic) {
      return Problem(status::kUnauthorized, "the access token is invalid or expired", {},
                     request.span.TraceIdHex());
    }
  }
  if (access == Access::kPublic) return std::nullopt;
  if (!request.principal) {
    return Problem(status::kUnauthorized, "an access token is required", {},
                   request.span.TraceIdHex());
  }
  if (access == Access::kAdmin && !request.principal->IsAdmin()) {
    return Problem(status::kForbidden, "this action needs the admin role", {},
                   request.span.TraceIdHex());
  }
  return std::nullopt;
}

boost::asio::awaitable<Response> Pipeline::Run(Request& request, const Route& route,
                                               std::size_t index) {
  if (index < middleware_.size()) {
    Next next = [this, &route, index](Request& r) { return Run(r, route, index + 1); };
    co_return co_await middleware_[index](request, next);
  }
  co_return co_await route.handler(request);
}

boost::asio::awaitable<Response> Pipeline::Handle(Request& request) {
  const auto started = Clock::now();
  struct InFlight {  // the gauge comes down on every way out
    prometheus::Gauge& gauge;
    explicit InFlight(prometheus::Gauge& g) : gauge(g) { gauge.Increment(); }
    ~InFlight() { gauge.Decrement(); }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;
  } in_flight(metrics_->active);

  auto incoming = request.Header("X-Request-Id");
  request.request_id = IsValidRequestId(incoming) ? std::string(incoming) : NewRequestId();
  request.deadline = DeadlineFor(request, default_deadline_, max_deadline_);

  auto match = router_.Find(request.method, request.path);
  request.route = match.route ? match.route->pattern : "unmatched";
  if (match.route) request.access = match.route->access;
  request.params = std::move(match.params);

  auto parent =
      telemetry::ParseTraceparent(request.Header("traceparent"), request.Header("tracestate"));
  auto span =
      telemetry::GetTracer().StartSpan(request.method + " " + request.route,
                                       telemetry::SpanKind::kServer, parent ? &*parent : nullptr);
  request.span = span.Context();
  span.SetAttribute("http.request.method", request.method);
  span.SetAttribute("http.route", request.route);
  span.SetAttribute("url.path", request.path);
  span.SetAttribute("client.address", request.remote_address);

  Response response;
  bool internal = false;
  std::string error_text;
  if (!match.route) {
    response = match.path_exists
                   ? Problem(status::kMethodNotAllowed, request.method + " is not allowed here", {},
                             request.span.TraceIdHex())
                         .With("Allow", match.allow)
                   : Problem(status::kNotFound, "no route for " + request.path, {},
                             request.span.TraceIdHex());
  } else if (auto denied = CheckAccess(request, match.route->access)) {
    response = std::move(*denied);
  } else {
    try {
      response = co_await Run(request, *match.route, 0);
    } catch (...) {
      auto error = std::current_exception();
      response = ProblemFromException(error, request.span.TraceIdHex(), internal);
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        error_text = e.what();
      } catch (...) {
        error_text = "unknown exception";
      }
    }
  }
  std::string trace_id = request.span.TraceIdHex();
  QuoteTraceId(response, trace_id);
  // Room for X-Request-Id and X-Trace-Id at once: one reallocation of the handler's headers, not
  // one per header.
  response.headers.reserve(response.headers.size() + 2);
  response.With("X-Request-Id", request.request_id);

  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const auto code = std::to_string(response.status);
  metrics_->requests.With({request.method, request.route, code}).Increment();
  metrics_->duration.With({request.method, request.route, code}).Observe(seconds);

  span.SetAttribute("http.response.status_code", static_cast<std::int64_t>(response.status));
  if (response.status >= 500) span.SetStatus(telemetry::StatusCode::kError, error_text);
  span.End();

  if (internal) {
    log::Error("unhandled error", {{"error", error_text}, {"route", request.route}},
               {trace_id, request.span.SpanIdHex()});
  }
  const auto level = IsProbe(request.route) ? log::Level::kDebug : log::Level::kInfo;
  if (log::Enabled(level)) {
    const auto span_id = request.span.SpanIdHex();
    log::Write(level, "request",
               {{"method", request.method},
                {"route", request.route},
                {"path", request.path},
                {"status", response.status},
                {"duration_ms", seconds * 1000.0},
                {"bytes", static_cast<std::int64_t>(response.body.size())},
                {"remote", request.remote_address},
                {"request_id", request.request_id}},
               {trace_id, span_id});
  }
  // Users quote it when reporting a problem; it finds the whole trace in Jaeger. Added last so the
  // header takes the string rather than a copy.
  if (request.span.IsValid()) response.With("X-Trace-Id", std::move(trace_id));
  co_return response;
}

}  // namespace fo::http
