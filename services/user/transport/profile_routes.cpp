// GET and PUT /users/me
#include <boost/json/serialize.hpp>

#include "platform/http/json_body.hpp"
#include "services/user/transport/http_routes.hpp"
#include "services/user/transport/json.hpp"

namespace fo::user::transport {
namespace asio = boost::asio;
using http::Access;
using http::Request;
using http::Response;

void AddProfileRoutes(http::Router& router, UseCases& uc) {
  router.Get(
      "/users/me",
      [&uc](Request& req) -> asio::awaitable<Response> {
        auto user = co_await uc.accounts.Me(req.Ctx(), req.Caller().user_id);
        co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(user)));
      },
      Access::kUser);

  router.Put(
      "/users/me",
      [&uc](Request& req) -> asio::awaitable<Response> {
        auto body = http::JsonBody::Parse(req);
        app::UpdateProfile command;
        command.email = body.String("email");
        command.full_name = body.String("full_name", {.max = 100});
        command.password = body.String("password");
        command.current_password = body.String("current_password", {.max = 256});
        body.Finish();
        auto user =
            co_await uc.accounts.UpdateMe(req.Ctx(), req.Caller().user_id, std::move(command));
        co_return http::Json(http::status::kOk, boost::json::serialize(ToJson(user)));
      },
      Access::kUser);
}

}  // namespace fo::user::transport
