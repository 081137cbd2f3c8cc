#pragma once
// What the gateway routes where, and with which policy: upstream pools, rate-limit classes and
// routes, read from a JSON document (config/routes.json is the default, compiled in) and then
// adjusted by environment variables (see the README's gateway table).
#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "platform/resilience/token_bucket.hpp"

namespace fo::gateway {

enum class AuthPolicy { kPublic, kUser, kAdmin };
enum class Balance { kRoundRobin, kLeastRequest, kConsistentHash };

struct HostPort {
  std::string host;
  std::string port;
  bool operator==(const HostPort&) const = default;
};

struct UpstreamSpec {
  std::string name;
  std::vector<HostPort> instances;
  Balance balance = Balance::kRoundRobin;
  std::string hash_header;  // consistent_hash: the header whose value picks the instance
  std::string health_path = "/readyz";  // GET, 200 = healthy
  bool required = true;                 // /health/ready fails while no instance is healthy
};

struct RateClass {
  resilience::BucketPolicy bucket;
  // Login: a second bucket per username in the JSON body, so one address cannot guess many
  // accounts' passwords and many addresses cannot guess one account's.
  bool per_username = false;
};

struct RoutePolicy {
  std::string path;  // a prefix (everything below it) or, with {params}, an exact pattern
  bool prefix = true;
  std::vector<std::string> methods;  // empty: every method
  std::string upstream;
  AuthPolicy auth = AuthPolicy::kPublic;
  std::chrono::milliseconds timeout{10'000};
  bool retry = true;   // idempotent methods, and POSTs with an Idempotency-Key
  bool cache = false;  // public GET responses kept in Redis
  std::chrono::seconds cache_ttl{300};
  std::string rate_class = "default";

  bool Allows(std::string_view method) const;
};

struct RouteTable {
  std::vector<UpstreamSpec> upstreams;
  std::map<std::string, RateClass, std::less<>> rate_classes;
  std::vector<RoutePolicy> routes;  // for one path, the first whose methods match wins

  const UpstreamSpec* Upstream(std::string_view name) const;
};

// Throws config::ConfigError naming the offending field ("routes[2].auth: ...").
RouteTable ParseRouteTable(std::string_view json);
// GATEWAY_UPSTREAM_<NAME>=host:port,... and GATEWAY_UPSTREAM_<NAME>_BALANCE replace a pool's
// instances and balancing; GATEWAY_RATE_<CLASS>_PER_SECOND / _BURST a class's bucket;
// GATEWAY_ROUTE_TIMEOUT_MS every route's timeout that the document left at the default.
void ApplyEnvironment(RouteTable& table);
// "a:1,b:2" or "[::1]:8080"; throws config::ConfigError.
std::vector<HostPort> ParseInstances(std::string_view list, std::string_view what);

std::string_view ToString(AuthPolicy policy);
std::string_view ToString(Balance balance);

}  // namespace fo::gateway
