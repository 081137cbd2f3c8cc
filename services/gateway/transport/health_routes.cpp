#include <boost/json.hpp>

#include "services/gateway/transport/routes.hpp"

namespace fo::gateway::transport {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {

std::string InstanceName(const adapters::UpstreamPool& pool, std::size_t index) {
  return pool.Name() + "#" + std::to_string(index + 1);
}

// Whole microseconds: Boost.JSON 1.81 would print a double as 1.9643E1.
std::int64_t Micros(double ms) { return ms < 0 ? -1 : static_cast<std::int64_t>(ms * 1000); }

}  // namespace

void AddHealthRoutes(http::Router& router, const Pools& pools) {
  router.Get("/health/services", [&pools](http::Request&) -> asio::awaitable<http::Response> {
    json::object services;
    bool all = true;
    for (const auto& [name, pool] : pools) {
      json::array instances;
      std::size_t index = 0;
      for (const auto& status : pool->Status()) {
        instances.push_back({{"instance", InstanceName(*pool, index++)},
                             {"healthy", status.healthy},
                             {"circuit", resilience::ToString(status.breaker)},
                             {"latency_us", Micros(status.latency_ms)},
                             {"check_latency_us", Micros(status.check_latency_ms)},
                             {"in_flight", status.in_flight}});
      }
      const bool healthy = pool->AnyHealthy();
      all = all && (healthy || !pool->Spec().required);
      services[name] = {{"healthy", healthy},
                        {"required", pool->Spec().required},
                        {"instances", std::move(instances)}};
    }
    json::object body{{"status", all ? "ok" : "degraded"}, {"services", std::move(services)}};
    co_return http::Json(all ? http::status::kOk : http::status::kUnavailable,
                         json::serialize(body));
  });

  router.Get("/health/circuits", [&pools](http::Request&) -> asio::awaitable<http::Response> {
    json::array circuits;
    for (const auto& [name, pool] : pools) {
      std::size_t index = 0;
      for (const auto& status : pool->Status()) {
        circuits.push_back({{"upstream", name},
                            {"instance", InstanceName(*pool, index++)},
                            {"state", resilience::ToString(status.breaker)},
                            {"consecutive_failures", status.consecutive_failures}});
      }
    }
    co_return http::Json(http::status::kOk, json::serialize(json::object{{"circuits", circuits}}));
  });

  router.Get("/health/loadbalancer", [&pools](http::Request&) -> asio::awaitable<http::Response> {
    json::object balancers;
    for (const auto& [name, pool] : pools) {
      json::array instances;
      std::size_t healthy = 0;
      std::size_t index = 0;
      for (const auto& status : pool->Status()) {
        healthy += status.healthy ? 1 : 0;
        instances.push_back({{"instance", InstanceName(*pool, index++)},
                             {"healthy", status.healthy},
                             {"in_flight", status.in_flight},
                             {"requests", status.requests}});
      }
      json::object entry{{"strategy", ToString(pool->Balancing())},
                         {"healthy_instances", healthy},
                         {"instances", std::move(instances)}};
      if (!pool->HashHeader().empty()) entry["hash_header"] = pool->HashHeader();
      balancers[name] = std::move(entry);
    }
    co_return http::Json(http::status::kOk,
                         json::serialize(json::object{{"balancers", std::move(balancers)}}));
  });
}

}  // namespace fo::gateway::transport
