// POST /api/products, PUT/PATCH/DELETE /api/products/{id}: admins only (checked by the server
// before these run).
#include <boost/json/serialize.hpp>

#include "services/product/transport/http_routes.hpp"
#include "services/product/transport/json.hpp"

namespace fo::product::transport {
namespace asio = boost::asio;
using http::Access;
using http::Request;
using http::Response;

namespace {

Response ProductResponse(int status, const app::Product& product) {
  return http::Json(status, boost::json::serialize(ToJson(product)));
}

}  // namespace

void AddAdminRoutes(http::Router& router, UseCases& uc) {
  router.Post(
      "/api/products",
      [&uc](Request& req) -> asio::awaitable<Response> {
        auto fields = DecodeNewProduct(req);
        auto product = co_await uc.admin.Create(req.Ctx(), std::move(fields));
        auto response = ProductResponse(http::status::kCreated, product);
        response.With("Location", "/api/products/" + std::to_string(product.id));
        co_return response;
      },
      Access::kAdmin);

  router.Put(
      "/api/products/{id}",
      [&uc](Request& req) -> asio::awaitable<Response> {
        const auto id = req.IdParam("id");
        auto fields = DecodeReplacement(req);
        auto product = co_await uc.admin.Replace(req.Ctx(), id, std::move(fields));
        co_return ProductResponse(http::status::kOk, product);
      },
      Access::kAdmin);

  router.Patch(
      "/api/products/{id}",
      [&uc](Request& req) -> asio::awaitable<Response> {
        const auto id = req.IdParam("id");
        auto changes = DecodeChanges(req);
        auto product = co_await uc.admin.Update(req.Ctx(), id, std::move(changes));
        co_return ProductResponse(http::status::kOk, product);
      },
      Access::kAdmin);

  router.Delete(
      "/api/products/{id}",
      [&uc](Request& req) -> asio::awaitable<Response> {
        co_await uc.admin.Delete(req.Ctx(), req.IdParam("id"));
        co_return http::NoContent();
      },
      Access::kAdmin);
}

}  // namespace fo::product::transport
