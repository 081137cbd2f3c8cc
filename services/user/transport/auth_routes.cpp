// POST /auth/register, /auth/login, /auth/refresh, /auth/logout; GET /.well-known/jwks.json
#include <boost/json/serialize.hpp>

#include "platform/http/json_body.hpp"
#include "services/user/transport/http_routes.hpp"
#include "services/user/transport/json.hpp"

namespace fo::user::transport {
namespace asio = boost::asio;
using http::Request;
using http::Response;

namespace {

std::string RefreshTokenOf(const Request& req) {
  auto body = http::JsonBody::Parse(req);
  auto token = body.String("refresh_token", {.required = true, .min = 1, .max = 512});
  body.Finish();
  return *token;
}

}  // namespace

void AddAuthRoutes(http::Router& router, UseCases& uc) {
  router.Post("/auth/register", [&uc](Request& req) -> asio::awaitable<Response> {
    auto body = http::JsonBody::Parse(req);
    auto username = body.String("username", {.required = true});
    auto email = body.String("email", {.required = true});
    auto password = body.String("password", {.required = true});
    auto full_name = body.String("full_name", {.max = 100});
    body.Finish();
    app::Register command{*username, *email, *password, full_name.value_or("")};
    auto user = co_await uc.accounts.Register(req.Ctx(), std::move(command));
    co_return http::Json(http::status::kCreated, boost::json::serialize(ToJson(user)));
  });

  router.Post("/auth/login", [&uc](Request& req) -> asio::awaitable<Response> {
    auto body = http::JsonBody::Parse(req);
    auto username = body.String("username", {.required = true, .min = 1, .max = 64});
    auto password = body.String("password", {.required = true, .min = 1, .max = 256});
    body.Finish();
    app::Login command{*username, *password};
    auto session = co_await uc.sessions.Login(req.Ctx(), std::move(command));
    co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(session)));
  });

  router.Post("/auth/refresh", [&uc](Request& req) -> asio::awaitable<Response> {
    auto session = co_await uc.sessions.Refresh(req.Ctx(), RefreshTokenOf(req));
    co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(session)));
  });

  router.Post("/auth/logout", [&uc](Request& req) -> asio::awaitable<Response> {
    co_await uc.sessions.Logout(req.Ctx(), RefreshTokenOf(req));
    co_return http::NoContent();
  });

  router.Get("/.well-known/jwks.json", [&uc](Request&) -> asio::awaitable<Response> {
    co_return http::Json(http::status::kOk, uc.jwks).With("Cache-Control", "public, max-age=300");
  });
}

}  // namespace fo::user::transport
