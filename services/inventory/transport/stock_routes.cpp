// /api/inventory routes. Access is checked by the router before a handler runs.
#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>

#include "platform/http/json_body.hpp"
#include "platform/http/query.hpp"
#include "services/inventory/transport/http_routes.hpp"
#include "services/inventory/transport/json.hpp"

namespace fo::inventory::transport {
namespace asio = boost::asio;
using http::Access;
using http::Request;
using http::Response;

namespace {

Response RowResponse(int status, const app::StockItem& item) {
  auto response = http::Json(status, boost::json::serialize(ToJson(item)));
  response.With("ETag", domain::ETagOf(item.version));
  return response;
}

std::string Actor(const Request& req) { return domain::UserActor(req.Caller().user_id); }

std::optional<std::string> Header(const Request& req, std::string_view name) {
  for (const auto& [key, value] : req.headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace

void AddStockRoutes(http::Router& router, UseCases& uc) {
  router.Get(
      "/api/inventory",
      [&uc](Request& req) -> asio::awaitable<Response> {
        const auto paging = http::QueryPaging(req);
        auto page = co_await uc.queries.List(req.Ctx(), paging.limit, paging.offset);
        boost::json::array items;
        for (const auto& item : page.items) items.push_back(ToJson(item));
        boost::json::object body{{"items", std::move(items)},
                                 {"total", page.total},
                                 {"limit", paging.limit},
                                 {"offset", paging.offset}};
        co_return http::Json(http::status::kOk, boost::json::serialize(body));
      },
      Access::kUser);

  router.Get(
      "/api/inventory/{id}",
      [&uc](Request& req) -> asio::awaitable<Response> {
        const auto id = req.IdParam("id");
        co_return RowResponse(http::status::kOk, co_await uc.queries.Get(req.Ctx(), id));
      },
      Access::kUser);

  router.Get(
      "/api/inventory/product/{product_id}",
      [&uc](Request& req) -> asio::awaitable<Response> {
        const auto product_id = req.IdParam("product_id");
        auto stock = co_await uc.queries.ForProduct(req.Ctx(), product_id);
        co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(stock)));
      },
      Access::kUser);

  router.Get(
      "/api/inventory/check/{product_id}",
      [&uc](Request& req) -> asio::awaitable<Response> {
        const auto product_id = req.IdParam("product_id");
        const auto quantity =
            http::QueryInt(req, "quantity", 1, domain::kMaxCheckQuantity).value_or(1);
        auto answer = co_await uc.queries.Check(req.Ctx(), product_id, quantity);
        co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(answer)));
      },
      Access::kUser);

  router.Post(
      "/api/inventory",
      [&uc](Request& req) -> asio::awaitable<Response> {
        auto body = http::JsonBody::Parse(req);
        app::CreateStock command;
        command.product_id = body.Int("product_id", {.required = true, .min = 1}).value_or(0);
        command.quantity =
            body.Int("quantity", {.required = true, .min = 0, .max = domain::kMaxOnHand})
                .value_or(0);
        command.location = body.String("location", {.min = 1, .max = domain::kLocationMax});
        body.Finish();
        command.actor = Actor(req);
        auto item = co_await uc.commands.Create(req.Ctx(), std::move(command));
        auto response = RowResponse(http::status::kCreated, item);
        response.With("Location", "/api/inventory/" + std::to_string(item.id));
        co_return response;
      },
      Access::kAdmin);

  router.Patch(
      "/api/inventory/{product_id}/quantity",
      [&uc](Request& req) -> asio::awaitable<Response> {
        app::ChangeQuantity command;
        command.product_id = req.IdParam("product_id");
        auto body = http::JsonBody::Parse(req);
        command.quantity = body.Int("quantity", {.min = 0, .max = domain::kMaxOnHand});
        command.delta = body.Int("delta", {.min = -domain::kMaxOnHand, .max = domain::kMaxOnHand});
        command.location = body.String("location", {.min = 1, .max = domain::kLocationMax});
        command.reason = body.String("reason", {.max = domain::kReasonMax});
        body.Finish();
        command.if_match = Header(req, "If-Match");
        command.actor = Actor(req);
        auto item = co_await uc.commands.Change(req.Ctx(), std::move(command));
        co_return RowResponse(http::status::kOk, item);
      },
      Access::kAdmin);
}

}  // namespace fo::inventory::transport
