// Wiring only: route table -> upstream pools, Redis, token keys -> the gateway use case -> HTTP.
#include <fstream>
#include <sstream>

#include "platform/app/service.hpp"
#include "platform/auth/verifier_config.hpp"
#include "platform/config/env.hpp"
#include "platform/http/server.hpp"
#include "platform/kafka/consumer.hpp"
#include "platform/kafka/producer.hpp"
#include "platform/redis/client.hpp"
#include "platform/telemetry/log/log.hpp"
#include "services/gateway/adapters/jwks_key_set.hpp"
#include "services/gateway/adapters/redis_rate_limiter.hpp"
#include "services/gateway/adapters/redis_response_cache.hpp"
#include "services/gateway/adapters/upstream_pool.hpp"
#include "services/gateway/app/gateway.hpp"
#include "services/gateway/embedded.hpp"
#include "services/gateway/transport/catalog_events.hpp"
#include "services/gateway/transport/routes.hpp"

namespace {
namespace asio = boost::asio;
using namespace fo;
namespace gw = fo::gateway;

constexpr const char* kDefaultRedis = "redis://127.0.0.1:26379/0";

gw::RouteTable LoadRouteTable() {
  std::string text(gw::DefaultRoutes());
  if (auto path = config::Get("GATEWAY_ROUTES_FILE")) {
    std::ifstream file(*path);
    if (!file) throw config::ConfigError("GATEWAY_ROUTES_FILE: cannot read " + *path);
    std::stringstream contents;
    contents << file.rdbuf();
    text = contents.str();
  }
  auto table = gw::ParseRouteTable(text);
  gw::ApplyEnvironment(table);
  return table;
}

// Keys from configuration when given (no fetch); otherwise the user pool's JWKS.
std::unique_ptr<gw::adapters::JwksKeySet> MakeKeySet(gw::transport::Pools& pools) {
  auto options = gw::adapters::KeySetOptions::FromEnv();
  if (config::Get("JWT_JWKS") || config::Get("JWT_JWKS_FILE") || config::Get("JWT_PUBLIC_KEY") ||
      config::Get("JWT_PUBLIC_KEY_FILE")) {
    return std::make_unique<gw::adapters::JwksKeySet>(auth::VerifierFromEnv(), options);
  }
  const auto upstream = config::String("GATEWAY_JWKS_UPSTREAM", "user");
  auto it = pools.find(upstream);
  if (it == pools.end()) {
    throw config::ConfigError("GATEWAY_JWKS_UPSTREAM names no upstream: " + upstream);
  }
  return std::make_unique<gw::adapters::JwksKeySet>(*it->second, options);
}

int Main(int argc, char** argv) {
  if (!app::ParseCommand(argc, argv, "gateway", {"serve"})) return 2;
  app::App application("gateway");
  auto& io = application.Io();
  const auto table = LoadRouteTable();

  gw::transport::Pools pools;
  const auto pool_options = gw::adapters::PoolOptions::FromEnv();
  for (const auto& spec : table.upstreams) {
    pools.emplace(spec.name, std::make_unique<gw::adapters::UpstreamPool>(io.get_executor(), spec,
                                                                          pool_options));
  }
  redis::Client redis(io.get_executor(),
                      redis::Options::FromUrl(config::String("REDIS_URL", kDefaultRedis)));
  gw::adapters::RedisRateLimiter limiter(redis, table.rate_classes,
                                         gw::adapters::RateFallbackFromEnv());
  gw::adapters::RedisResponseCache cache(redis);
  auto keys = MakeKeySet(pools);

  gw::app::Ports ports;
  for (auto& [name, pool] : pools) ports.pools.emplace(name, pool.get());
  ports.keys = keys.get();
  ports.limiter = &limiter;
  ports.cache = &cache;
  std::set<std::string, std::less<>> by_username;
  for (const auto& [name, rate] : table.rate_classes) {
    if (rate.per_username) by_username.insert(name);
  }
  gw::app::Gateway gateway(std::move(ports),
                           gw::TrustedProxies(config::String("GATEWAY_TRUSTED_PROXIES", "")),
                           std::move(by_username));

  http::Router router;
  application.AddProbeRoutes(router, {"/health/live"}, {"/health/ready"});
  gw::transport::AddHealthRoutes(router, pools);
  gw::transport::AddAdminRoutes(router, pools, *keys, cache);
  gw::transport::AddDocsRoutes(router, gw::OpenApiYaml());
  gw::transport::AddProxyRoutes(router, table, gateway);

  auto server_options = http::ServerOptions::FromEnv(8000);
  // Each route's timeout (GATEWAY_ROUTE_TIMEOUT_MS, timeout_ms) bounds its requests; the
  // server's own default would cut the longer ones short.
  server_options.default_deadline = server_options.max_deadline;
  http::Server server(io, server_options, std::move(router));
  server.Use(gw::transport::MakeCorsMiddleware(gw::CorsPolicy::FromEnv()));

  // Product and stock events drop what they make stale; poison records go to their .dlq
  // through the producer. Neither blocks start-up while the broker is unreachable.
  kafka::Producer producer(io.get_executor(), kafka::ProducerOptions::FromEnv("gateway"));
  kafka::Consumer invalidation(io,
                               kafka::ConsumerOptions::FromEnv(
                                   "gateway", {std::string(gw::transport::kProductEventsTopic),
                                               std::string(gw::transport::kInventoryEventsTopic)}),
                               producer, gw::transport::CatalogEventsHandler(cache));

  for (auto& [name, pool] : pools) {
    if (!pool->Spec().required) continue;
    application.AddReadinessCheck(
        "upstream " + name,
        [p = pool.get()](app::Deadline) -> asio::awaitable<bool> { co_return p->AnyHealthy(); });
  }
  application.AddReadinessCheck(
      "token keys",
      [k = keys.get()](app::Deadline) -> asio::awaitable<bool> { co_return k->Loaded(); });
  application.OnStop([&]() -> asio::awaitable<void> {
    co_await server.Drain(std::chrono::seconds(10));
    co_await invalidation.Stop();
    co_await keys->Stop();
    for (auto& [name, pool] : pools) co_await pool->StopHealthChecks();
  });

  for (auto& [name, pool] : pools) pool->StartHealthChecks();
  keys->Start(io.get_executor());
  invalidation.Start();
  server.Start();
  log::Info("gateway listening", {{"http_port", static_cast<int>(server.Port())},
                                  {"routes", static_cast<std::int64_t>(table.routes.size())}});
  return application.Run();
}

}  // namespace

int main(int argc, char** argv) {
  return fo::app::GuardedMain([&] { return Main(argc, argv); });
}
