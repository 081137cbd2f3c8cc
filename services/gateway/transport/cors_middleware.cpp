#include "platform/http/problem.hpp"
#include "services/gateway/transport/routes.hpp"

namespace fo::gateway::transport {
namespace asio = boost::asio;

http::Middleware MakeCorsMiddleware(CorsPolicy policy) {
  return [policy = std::move(policy)](http::Request& request,
                                      const http::Next& next) -> asio::awaitable<http::Response> {
    const auto origin = request.Header("Origin");
    if (origin.empty()) co_return co_await next(request);
    if (request.method == "OPTIONS" && !request.Header("Access-Control-Request-Method").empty()) {
      auto allowed = policy.Preflight(origin);
      if (!allowed) {
        co_return http::Problem(http::status::kForbidden, "this origin may not call the API", {},
                                request.span.TraceIdHex());
      }
      http::Response response = http::NoContent();
      response.headers = std::move(*allowed);
      co_return response;
    }
    auto response = co_await next(request);
    for (auto& header : policy.ForResponse(origin)) response.headers.push_back(std::move(header));
    co_return response;
  };
}

}  // namespace fo::gateway::transport
