#include <set>

#include "platform/http/problem.hpp"
#include "services/gateway/transport/routes.hpp"

namespace fo::gateway::transport {
namespace asio = boost::asio;

namespace {

constexpr std::string_view kAllMethods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

struct Group {
  std::string path;
  bool prefix = true;
  std::vector<const RoutePolicy*> policies;  // in table order: the first that allows wins
};

std::string AllowHeader(const std::vector<const RoutePolicy*>& policies) {
  std::set<std::string> methods;
  for (const auto* policy : policies) {
    if (policy->methods.empty()) methods.insert(std::begin(kAllMethods), std::end(kAllMethods));
    methods.insert(policy->methods.begin(), policy->methods.end());
  }
  std::string allow;
  for (const auto& method : methods) allow += (allow.empty() ? "" : ", ") + method;
  return allow;
}

}  // namespace

void AddProxyRoutes(http::Router& router, const RouteTable& table, app::Gateway& gateway) {
  std::vector<Group> groups;
  for (const auto& route : table.routes) {
    auto it = std::find_if(groups.begin(), groups.end(), [&](const Group& g) {
      return g.path == route.path && g.prefix == route.prefix;
    });
    if (it == groups.end()) it = groups.insert(groups.end(), Group{route.path, route.prefix, {}});
    it->policies.push_back(&route);
  }
  for (auto& group : groups) {
    auto handler = [&gateway, policies = group.policies, allow = AllowHeader(group.policies)](
                       http::Request& request) -> asio::awaitable<http::Response> {
      for (const auto* policy : policies) {
        if (policy->Allows(request.method)) co_return co_await gateway.Handle(*policy, request);
      }
      co_return http::Problem(http::status::kMethodNotAllowed,
                              request.method + " is not allowed here", {},
                              request.span.TraceIdHex())
          .With("Allow", allow);
    };
    if (group.prefix) {
      router.AddPrefix(group.path, handler);
      continue;
    }
    // An exact pattern answers the methods its policies name, and OPTIONS for CORS preflights.
    std::set<std::string> methods{"OPTIONS"};
    for (const auto* policy : group.policies) {
      if (policy->methods.empty()) methods.insert(std::begin(kAllMethods), std::end(kAllMethods));
      methods.insert(policy->methods.begin(), policy->methods.end());
    }
    for (const auto& method : methods) router.Add(method, group.path, handler);
  }
}

}  // namespace fo::gateway::transport
