// /admin/users and /admin/stats: admins only (checked by the router before these run).
#include <boost/json/serialize.hpp>

#include "platform/http/json_body.hpp"
#include "platform/http/query.hpp"
#include "services/user/transport/http_routes.hpp"
#include "services/user/transport/json.hpp"

namespace fo::user::transport {
namespace asio = boost::asio;
using http::Access;
using http::Request;
using http::Response;

namespace {

Response UserResponse(int status, const app::User& user) {
  return http::Json(status, boost::json::serialize(ToJson(user)));
}

app::Role RoleField(http::JsonBody& body, bool required) {
  auto text = body.String("role", {.required = required, .max = 16});
  if (!text) return app::Role::kUser;
  auto role = domain::ParseRole(*text);
  if (!role) body.Fail("role", "must be user or admin");
  return role.value_or(app::Role::kUser);
}

}  // namespace

void AddAdminRoutes(http::Router& router, UseCases& uc) {
  router.Post(
      "/admin/users",
      [&uc](Request& req) -> asio::awaitable<Response> {
        auto body = http::JsonBody::Parse(req);
        auto username = body.String("username", {.required = true});
        auto email = body.String("email", {.required = true});
        auto password = body.String("password", {.required = true});
        auto full_name = body.String("full_name", {.max = 100});
        auto role = RoleField(body, false);
        body.Finish();
        app::Register command{*username, *email, *password, full_name.value_or(""), role};
        auto user = co_await uc.admin.Create(req.Ctx(), std::move(command));
        co_return UserResponse(http::status::kCreated, user);
      },
      Access::kAdmin);

  router.Get(
      "/admin/users",
      [&uc](Request& req) -> asio::awaitable<Response> {
        app::UserQuery query;
        auto paging = http::QueryPaging(req);
        query.limit = paging.limit;
        query.offset = paging.offset;
        if (auto role = http::QueryString(req, "role", 16)) {
          query.role = domain::ParseRole(*role);
          if (!query.role) {
            throw InvalidArgument("query parameter role must be user or admin",
                                  {{"role", "must be user or admin"}});
          }
        }
        query.is_active = http::QueryBool(req, "is_active");
        query.search = http::QueryString(req, "q", 100);
        auto page = co_await uc.admin.List(req.Ctx(), query);
        boost::json::array items;
        for (const auto& user : page.items) items.push_back(ToJson(user));
        boost::json::object body{{"items", std::move(items)},
                                 {"total", page.total},
                                 {"limit", query.limit},
                                 {"offset", query.offset}};
        co_return http::Json(http::status::kOk, boost::json::serialize(body));
      },
      Access::kAdmin);

  router.Get(
      "/admin/users/{id}",
      [&uc](Request& req) -> asio::awaitable<Response> {
        co_return UserResponse(http::status::kOk,
                               co_await uc.admin.Get(req.Ctx(), req.IdParam("id")));
      },
      Access::kAdmin);

  router.Put(
      "/admin/users/{id}",
      [&uc](Request& req) -> asio::awaitable<Response> {
        const auto id = req.IdParam("id");
        auto body = http::JsonBody::Parse(req);
        app::AdminUpdate command;
        command.email = body.String("email");
        command.full_name = body.String("full_name", {.max = 100});
        command.password = body.String("password");
        body.Finish();
        co_return UserResponse(http::status::kOk,
                               co_await uc.admin.Update(req.Ctx(), id, std::move(command)));
      },
      Access::kAdmin);

  router.Delete(
      "/admin/users/{id}",
      [&uc](Request& req) -> asio::awaitable<Response> {
        co_await uc.admin.Delete(req.Ctx(), req.IdParam("id"));
        co_return http::NoContent();
      },
      Access::kAdmin);

  router.Put(
      "/admin/users/{id}/role",
      [&uc](Request& req) -> asio::awaitable<Response> {
        const auto id = req.IdParam("id");
        auto body = http::JsonBody::Parse(req);
        auto role = RoleField(body, true);
        body.Finish();
        co_return UserResponse(http::status::kOk, co_await uc.admin.SetRole(req.Ctx(), id, role));
      },
      Access::kAdmin);

  router.Put(
      "/admin/users/{id}/active",
      [&uc](Request& req) -> asio::awaitable<Response> {
        const auto id = req.IdParam("id");
        auto body = http::JsonBody::Parse(req);
        auto active = body.Bool("is_active", true);
        body.Finish();
        co_return UserResponse(http::status::kOk,
                               co_await uc.admin.SetActive(req.Ctx(), id, *active));
      },
      Access::kAdmin);

  router.Get(
      "/admin/stats",
      [&uc](Request& req) -> asio::awaitable<Response> {
        auto stats = co_await uc.admin.Stats(req.Ctx());
        co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(stats)));
      },
      Access::kAdmin);
}

}  // namespace fo::user::transport
