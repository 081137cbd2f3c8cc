#include "services/gateway/app/gateway.hpp"

#include <strings.h>

#include <algorithm>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/json/parse.hpp>
#include <cctype>
#include <optional>
#include <tuple>

#include "platform/http/jwt_authenticator.hpp"
#include "platform/http/problem.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "services/gateway/app/forwarder.hpp"
#include "services/gateway/domain/cache_key.hpp"
#include "services/gateway/domain/etag.hpp"

namespace fo::gateway::app {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;

namespace {

enum class Token { kNone, kValid, kInvalid, kUnverifiable };

struct Metrics {
  metrics::CounterChildren cache{
      metrics::Global().Counter("gateway_cache_requests_total",
                                "Cacheable requests by result: hit, miss or bypass."),
      {"result"}};
  metrics::CounterChildren auth{
      metrics::Global().Counter("gateway_auth_decisions_total",
                                "Token checks at the gateway, by route and result."),
      {"route", "result"}};

  // Every cache result shows from the start, at zero: a series born at its first increment
  // shows no rate for it, so the hit ratio would stay blank until the second hit.
  Metrics() {
    for (const char* result : {"hit", "miss", "bypass"}) cache.With({result});
  }
};

Metrics& M() {
  static Metrics metrics;
  return metrics;
}

std::int64_t CeilSeconds(std::chrono::milliseconds ms) { return (ms.count() + 999) / 1000; }

// The account a login names, lowercased like the user service stores it; empty when the body
// says nothing usable (the user service then answers 400 itself).
std::string LoginUsername(const std::string& body) {
  boost::system::error_code ec;
  auto document = boost::json::parse(body, ec);
  if (ec || !document.is_object()) return {};
  const auto* name = document.get_object().if_contains("username");
  if (name == nullptr || !name->is_string()) return {};
  std::string out(name->get_string());
  if (out.size() > 64) out.resize(64);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view BearerToken(const http::Request& request) {
  auto header = request.Header("Authorization");
  if (header.size() > 7 && ::strncasecmp(header.data(), "bearer ", 7) == 0) {
    return header.substr(7);
  }
  return {};
}

http::Response CachedAnswer(const CachedResponse& cached, std::string_view if_none_match,
                            std::string_view x_cache) {
  http::Response response;
  if (EtagMatches(if_none_match, cached.etag)) {
    response.status = 304;
  } else {
    response.status = cached.status;
    response.body = cached.body;
    if (!cached.content_type.empty()) response.With("Content-Type", cached.content_type);
  }
  response.With("ETag", cached.etag).With("X-Cache", std::string(x_cache));
  return response;
}

bool Storable(const http::Response& response) {
  if (response.status != 200) return false;
  const auto control = http::FindHeader(response.headers, "Cache-Control");
  return control.find("no-store") == std::string_view::npos &&
         control.find("private") == std::string_view::npos;
}

}  // namespace

std::string RateIdentity(const http::Request& request, const TrustedProxies& trusted) {
  if (request.principal) return "user:" + std::to_string(request.principal->user_id);
  return "ip:" + ClientAddress(request, trusted);
}

Gateway::Gateway(Ports ports, TrustedProxies trusted,
                 std::set<std::string, std::less<>> by_username)
    : ports_(std::move(ports)), trusted_(std::move(trusted)), by_username_(std::move(by_username)) {
  M();  // the cache's series exist before the first request
}

asio::awaitable<http::Response> Gateway::Handle(const RoutePolicy& route, http::Request& request) {
  // 1. Who is calling. A token is checked whenever one is sent, so even public routes limit a
  // signed-in caller by account rather than by address.
  Token token = Token::kNone;
  if (auto bearer = BearerToken(request); !bearer.empty()) {
    auto verified = co_await ports_.keys->Verify(bearer);
    if (!verified) {
      token = Token::kUnverifiable;
    } else if (auto principal = http::PrincipalFromClaims(*verified)) {
      request.principal = std::move(principal);
      token = Token::kValid;
    } else {
      token = Token::kInvalid;
    }
  }

  // 2. How often. Before the policy check, so a flood of bad tokens is limited too.
  http::Headers rate_headers;
  RateRequest rate{route.rate_class, RateIdentity(request, trusted_), {}};
  if (by_username_.contains(route.rate_class)) rate.username = LoginUsername(request.body);
  // An anonymous cacheable GET asks the limiter and the cache at once: both go to Redis in one
  // write, a round trip saved on the hottest public route. The cached answer is used only if
  // the limiter allows the request.
  const bool shared_cache = route.cache && request.method == "GET" &&
                            request.Header("Authorization").empty() &&
                            request.Header("Cookie").empty();
  std::optional<CacheKey> cache_key;
  std::optional<CachedResponse> cached;
  RateDecision decision;
  if (shared_cache) {
    cache_key = CatalogCacheKey(request);
    std::tie(decision, cached) = co_await (ports_.limiter->Check(rate, request.Ctx()) &&
                                           ports_.cache->Get(cache_key->key, request.Ctx()));
  } else {
    decision = co_await ports_.limiter->Check(rate, request.Ctx());
  }
  rate_headers.emplace_back("RateLimit-Limit", std::to_string(decision.limit));
  rate_headers.emplace_back("RateLimit-Remaining", std::to_string(decision.remaining));
  rate_headers.emplace_back("RateLimit-Reset", std::to_string(CeilSeconds(decision.reset)));
  auto finish = [&](http::Response response) {
    for (auto& header : rate_headers) response.headers.push_back(header);
    return response;
  };
  // Only refusals quote the trace id; most requests never need it spelled out.
  auto trace_id = [&request] { return request.span.TraceIdHex(); };
  if (!decision.allowed && decision.unavailable) {
    co_return finish(http::Problem(http::status::kUnavailable,
                                   "rate limiting is unavailable; try again shortly", {},
                                   trace_id())
                         .With("Retry-After", "1"));
  }
  if (!decision.allowed) {
    co_return finish(http::Problem(http::status::kTooManyRequests, "too many requests; slow down",
                                   {}, trace_id())
                         .With("Retry-After", std::to_string(std::max<std::int64_t>(
                                                  1, CeilSeconds(decision.retry_after)))));
  }

  // 3. May they. The services check again (defence in depth); this stops the obvious early.
  if (route.auth != AuthPolicy::kPublic) {
    std::optional<http::Response> denied;
    if (token == Token::kUnverifiable) {
      denied = http::Problem(http::status::kUnavailable, "access tokens cannot be verified yet", {},
                             trace_id())
                   .With("Retry-After", "1");
    } else if (token == Token::kNone) {
      denied =
          http::Problem(http::status::kUnauthorized, "an access token is required", {}, trace_id());
    } else if (token == Token::kInvalid) {
      denied = http::Problem(http::status::kUnauthorized, "the access token is invalid or expired",
                             {}, trace_id());
    } else if (route.auth == AuthPolicy::kAdmin && !request.principal->IsAdmin()) {
      denied = http::Problem(http::status::kForbidden, "this action needs the admin role", {},
                             trace_id());
    }
    const auto result = denied ? std::to_string(denied->status) : std::string("ok");
    M().auth.With({route.path, result}).Increment();
    if (denied) co_return finish(std::move(*denied));
  }

  Pool& pool = *ports_.pools.at(route.upstream);
  if (!route.cache || request.method != "GET") {
    auto response = co_await Proxy(route, pool, request);
    co_return finish(std::move(response));
  }

  // 4. The cache, for anonymous GETs only: an answer that may depend on who asks is never
  // shared between callers.
  if (!shared_cache) {
    M().cache.With({"bypass"}).Increment();
    auto response = co_await Proxy(route, pool, request);
    response.With("X-Cache", "BYPASS");
    co_return finish(std::move(response));
  }
  const auto& key = *cache_key;
  if (cached) {
    M().cache.With({"hit"}).Increment();
    co_return finish(CachedAnswer(*cached, request.Header("If-None-Match"), "HIT"));
  }
  M().cache.With({"miss"}).Increment();
  auto response = co_await Proxy(route, pool, request);
  if (!Storable(response)) {
    response.With("X-Cache", "MISS");
    co_return finish(std::move(response));
  }
  CachedResponse entry;
  entry.status = response.status;
  entry.content_type = std::string(http::FindHeader(response.headers, "Content-Type"));
  entry.etag = std::string(http::FindHeader(response.headers, "ETag"));
  if (entry.etag.empty()) entry.etag = StrongEtag(response.body);
  entry.body = std::move(response.body);
  co_await ports_.cache->Put(key.key, key.tag, entry, route.cache_ttl, request.Ctx());
  co_return finish(CachedAnswer(entry, request.Header("If-None-Match"), "MISS"));
}

asio::awaitable<http::Response> Gateway::Proxy(const RoutePolicy& route, Pool& pool,
                                               http::Request& request) {
  http::ClientRequest upstream;
  upstream.method = request.method;
  upstream.target = request.target;
  upstream.headers = UpstreamRequestHeaders(request, trusted_);
  upstream.body = std::move(request.body);
  ForwardOptions options;
  options.retryable =
      route.retry && SafeToRetry(request.method, !request.Header("Idempotency-Key").empty());
  if (!pool.HashHeader().empty()) options.hash_key = std::string(request.Header(pool.HashHeader()));
  Context ctx = request.Ctx();
  ctx.deadline = std::min(ctx.deadline, Clock::now() + route.timeout);
  auto result = co_await Forward(pool, std::move(upstream), options, ctx);
  co_return std::move(result.response);
}

}  // namespace fo::gateway::app
