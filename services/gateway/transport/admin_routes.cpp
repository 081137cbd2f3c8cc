#include <strings.h>

#include <boost/json.hpp>
#include <charconv>

#include "platform/http/jwt_authenticator.hpp"
#include "platform/http/problem.hpp"
#include "services/gateway/domain/cache_key.hpp"
#include "services/gateway/transport/routes.hpp"

namespace fo::gateway::transport {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

// The gateway's own admin endpoints check the token themselves (the pipeline has no
// authenticator: proxied routes verify through the key set, asynchronously).
asio::awaitable<std::optional<http::Response>> Denied(app::KeySet& keys, http::Request& request) {
  const auto trace_id = request.span.TraceIdHex();
  auto header = request.Header("Authorization");
  if (header.size() <= 7 || ::strncasecmp(header.data(), "bearer ", 7) != 0) {
    co_return http::Problem(http::status::kUnauthorized, "an access token is required", {},
                            trace_id);
  }
  auto verified = co_await keys.Verify(header.substr(7));
  if (!verified) {
    co_return http::Problem(http::status::kUnavailable, "access tokens cannot be verified yet", {},
                            trace_id)
        .With("Retry-After", "1");
  }
  request.principal = http::PrincipalFromClaims(*verified);
  if (!request.principal) {
    co_return http::Problem(http::status::kUnauthorized, "the access token is invalid or expired",
                            {}, trace_id);
  }
  if (!request.principal->IsAdmin()) {
    co_return http::Problem(http::status::kForbidden, "this action needs the admin role", {},
                            trace_id);
  }
  co_return std::nullopt;
}

}  // namespace

void AddAdminRoutes(http::Router& router, const Pools& pools, app::KeySet& keys,
                    app::ResponseCache& cache) {
  // ?product_id=N drops what depends on that product (its pages and every list); without it,
  // the whole cache goes.
  router.Post(
      "/admin/gateway/cache/purge",
      [&keys, &cache](http::Request& request) -> asio::awaitable<http::Response> {
        auto denied = co_await Denied(keys, request);
        if (denied) co_return std::move(*denied);
        std::vector<std::string> tags{""};
        if (auto id = request.Query("product_id")) {
          std::int64_t product = 0;
          auto [end, ec] = std::from_chars(id->data(), id->data() + id->size(), product);
          if (ec != std::errc() || end != id->data() + id->size() || product <= 0) {
            throw InvalidArgument("product_id must be a positive integer",
                                  {{"product_id", "must be a positive integer"}});
          }
          tags = {ProductTag(product), std::string(kListsTag)};
        }
        std::int64_t purged = 0;
        try {
          for (const auto& tag : tags) {
            const auto removed = co_await cache.Invalidate(tag, request.Ctx());
            purged += removed;
          }
        } catch (const std::exception&) {
          throw Unavailable("the cache store is unreachable; nothing was purged");
        }
        co_return http::Json(http::status::kOk, json::serialize(json::object{{"purged", purged}}));
      });

  router.Get("/admin/gateway/circuits",
             [&keys, &pools](http::Request& request) -> asio::awaitable<http::Response> {
               auto denied = co_await Denied(keys, request);
               if (denied) co_return std::move(*denied);
               json::array circuits;
               for (const auto& [name, pool] : pools) {
                 for (const auto& status : pool->Status()) {
                   circuits.push_back({{"upstream", name},
                                       {"address", status.address},
                                       {"state", resilience::ToString(status.breaker)},
                                       {"healthy", status.healthy},
                                       {"consecutive_failures", status.consecutive_failures},
                                       {"requests", status.requests},
                                       {"failures", status.failures},
                                       {"last_check_error", status.last_check_error}});
                 }
               }
               co_return http::Json(http::status::kOk,
                                    json::serialize(json::object{{"circuits", circuits}}));
             });
}

}  // namespace fo::gateway::transport
