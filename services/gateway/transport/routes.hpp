#pragma once
// The gateway's HTTP surface: the proxied routes from the route table, the seed's health and
// introspection endpoints, the admin endpoints, and CORS.
#include <map>
#include <memory>
#include <string>

#include "platform/http/router.hpp"
#include "platform/http/server.hpp"
#include "services/gateway/adapters/upstream_pool.hpp"
#include "services/gateway/app/gateway.hpp"
#include "services/gateway/domain/cors.hpp"
#include "services/gateway/domain/route_table.hpp"

namespace fo::gateway::transport {

using Pools = std::map<std::string, std::unique_ptr<adapters::UpstreamPool>, std::less<>>;

// Every route of the table, each dispatching by method to the first policy that allows it.
void AddProxyRoutes(http::Router& router, const RouteTable& table, app::Gateway& gateway);

// /health/services, /health/circuits, /health/loadbalancer: state by upstream and instance
// number, without internal addresses (this is the public entry).
void AddHealthRoutes(http::Router& router, const Pools& pools);

// /admin/gateway/cache/purge and /admin/gateway/circuits, for admin tokens only.
void AddAdminRoutes(http::Router& router, const Pools& pools, app::KeySet& keys,
                    app::ResponseCache& cache);

// /docs (Swagger UI from GATEWAY_DOCS_DIR, the swagger-ui-dist npm package) and
// /docs/openapi.yaml (the contract in api/openapi, compiled in).
void AddDocsRoutes(http::Router& router, std::string_view openapi_yaml);

// Preflights answered here; allowed origins get CORS headers on every answer.
http::Middleware MakeCorsMiddleware(CorsPolicy policy);

}  // namespace fo::gateway::transport
