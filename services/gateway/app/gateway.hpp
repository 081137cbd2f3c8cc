#pragma once
// One proxied request, start to end: who is calling (token, address), whether they may (rate
// limit, route policy), whether the cache can answer, and otherwise the forward upstream, whose
// cacheable answer is then kept. Each step is a port, so each is replaceable and testable.
#include <boost/asio/awaitable.hpp>
#include <map>
#include <set>
#include <string>

#include "platform/http/message.hpp"
#include "services/gateway/app/ports.hpp"
#include "services/gateway/domain/forwarding.hpp"
#include "services/gateway/domain/route_table.hpp"

namespace fo::gateway::app {

struct Ports {
  std::map<std::string, Pool*, std::less<>> pools;
  KeySet* keys = nullptr;
  RateLimiter* limiter = nullptr;
  ResponseCache* cache = nullptr;
};

class Gateway {
 public:
  // `by_username`: rate classes that also limit per account named in the body (login).
  Gateway(Ports ports, TrustedProxies trusted, std::set<std::string, std::less<>> by_username);
  boost::asio::awaitable<http::Response> Handle(const RoutePolicy& route, http::Request& request);

 private:
  boost::asio::awaitable<http::Response> Proxy(const RoutePolicy& route, Pool& pool,
                                               http::Request& request);

  Ports ports_;
  TrustedProxies trusted_;
  std::set<std::string, std::less<>> by_username_;
};

// The rate-limit identity of a request: "user:<id>" when signed in, else "ip:<address>".
std::string RateIdentity(const http::Request& request, const TrustedProxies& trusted);

}  // namespace fo::gateway::app
