// /api/products/favorites and /api/products/{id}/favorite: the caller's own favorites. The
// router prefers the literal segment, so "favorites" is never read as a product id.
#include <boost/json/serialize.hpp>

#include "platform/http/query.hpp"
#include "services/product/transport/http_routes.hpp"
#include "services/product/transport/json.hpp"

namespace fo::product::transport {
namespace asio = boost::asio;
using http::Access;
using http::Request;
using http::Response;

void AddFavoriteRoutes(http::Router& router, UseCases& uc) {
  router.Get(
      "/api/products/favorites",
      [&uc](Request& req) -> asio::awaitable<Response> {
        const auto paging = http::QueryPaging(req);
        auto page = co_await uc.favorites.List(req.Ctx(), req.Caller().user_id, paging.limit,
                                               paging.offset);
        co_return http::Json(http::status::kOk,
                             boost::json::serialize(ToJson(page, paging.limit, paging.offset)));
      },
      Access::kUser);

  router.Post(
      "/api/products/{id}/favorite",
      [&uc](Request& req) -> asio::awaitable<Response> {
        co_await uc.favorites.Add(req.Ctx(), req.Caller().user_id, req.IdParam("id"));
        co_return http::NoContent();
      },
      Access::kUser);

  router.Delete(
      "/api/products/{id}/favorite",
      [&uc](Request& req) -> asio::awaitable<Response> {
        co_await uc.favorites.Remove(req.Ctx(), req.Caller().user_id, req.IdParam("id"));
        co_return http::NoContent();
      },
      Access::kUser);
}

}  // namespace fo::product::transport
