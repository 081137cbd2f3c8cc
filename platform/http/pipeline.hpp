#pragma once
// What happens to one parsed request, independent of the wire: request id, trace context,
// deadline, routing, access check, middleware, handler, error mapping, metrics, access log.
#include <boost/asio/awaitable.hpp>
#include <vector>

#include "platform/http/server.hpp"

namespace fo::http {

class Pipeline {
 public:
  Pipeline(Router router, Authenticator authenticator, std::chrono::milliseconds default_deadline,
           std::chrono::milliseconds max_deadline);
  ~Pipeline();
  void Use(Middleware middleware) { middleware_.push_back(std::move(middleware)); }

  // Never throws: every failure becomes a problem+json response.
  boost::asio::awaitable<Response> Handle(Request& request);
  const Router& Routes() const { return router_; }

 private:
  boost::asio::awaitable<Response> Run(Request& request, const Route& route, std::size_t index);
  std::optional<Response> CheckAccess(Request& request, Access access) const;

  Router router_;
  Authenticator authenticator_;
  std::vector<Middleware> middleware_;
  std::chrono::milliseconds default_deadline_;
  std::chrono::milliseconds max_deadline_;
  struct Metrics;
  std::unique_ptr<Metrics> metrics_;
};

}  // namespace fo::http
