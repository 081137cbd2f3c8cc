// GET /api/products, /api/products/{id}, /api/products/stats, /api/categories: public. A valid
// bearer token still counts: admins see inactive products.
#include <boost/json/serialize.hpp>

#include "services/product/transport/http_routes.hpp"
#include "services/product/transport/json.hpp"
#include "services/product/transport/list_params.hpp"

namespace fo::product::transport {
namespace asio = boost::asio;
using http::Request;
using http::Response;

namespace {

app::Viewer ViewerOf(const Request& req) {
  return app::Viewer{req.principal && req.principal->IsAdmin()};
}

}  // namespace

void AddCatalogRoutes(http::Router& router, UseCases& uc) {
  router.Get("/api/products", [&uc](Request& req) -> asio::awaitable<Response> {
    auto filter = ListFilterFromQuery(req);
    const auto limit = filter.limit;
    const auto offset = filter.offset;
    auto page = co_await uc.catalog.List(req.Ctx(), std::move(filter), ViewerOf(req));
    co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(page, limit, offset)));
  });

  router.Get("/api/products/stats", [&uc](Request& req) -> asio::awaitable<Response> {
    auto stats = co_await uc.catalog.Stats(req.Ctx());
    co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(stats)));
  });

  router.Get("/api/products/{id}", [&uc](Request& req) -> asio::awaitable<Response> {
    auto product = co_await uc.catalog.Get(req.Ctx(), req.IdParam("id"), ViewerOf(req));
    co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(product)));
  });

  router.Get("/api/categories", [&uc](Request& req) -> asio::awaitable<Response> {
    auto categories = co_await uc.catalog.Categories(req.Ctx());
    co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(categories)));
  });
}

}  // namespace fo::product::transport
