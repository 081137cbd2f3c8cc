#include "services/user/transport/grpc_service.hpp"

#include "platform/errors/error.hpp"
#include "platform/grpc/server.hpp"

namespace fo::user::transport {
namespace asio = boost::asio;
namespace v1 = ::user::v1;

namespace {

void Fill(const app::User& user, v1::User& out) {
  out.set_id(user.id);
  out.set_username(user.username);
  out.set_email(user.email);
  out.set_full_name(user.full_name);
  out.set_role(std::string(domain::ToString(user.role)));
  out.set_is_active(user.is_active);
  out.set_created_at(user.created_at);
  out.set_updated_at(user.updated_at);
}

void RequirePositive(std::int64_t id) {
  if (id <= 0) throw InvalidArgument("user_id must be a positive integer");
}

}  // namespace

::grpc::ServerUnaryReactor* UserGrpcService::ValidateUser(::grpc::CallbackServerContext* call,
                                                          const v1::ValidateUserRequest* request,
                                                          v1::ValidateUserResponse* response) {
  return rpc::Unary(io_, call, "user.v1.UserService/ValidateUser", request, response,
                    [this](const Context& ctx, const v1::ValidateUserRequest& req,
                           v1::ValidateUserResponse& resp) -> asio::awaitable<void> {
                      RequirePositive(req.user_id());
                      auto result = co_await directory_.Validate(ctx, req.user_id());
                      resp.set_exists(result.exists);
                      resp.set_is_active(result.is_active);
                      if (result.exists) resp.set_role(std::string(domain::ToString(result.role)));
                    });
}

::grpc::ServerUnaryReactor* UserGrpcService::GetUser(::grpc::CallbackServerContext* call,
                                                     const v1::GetUserRequest* request,
                                                     v1::GetUserResponse* response) {
  return rpc::Unary(io_, call, "user.v1.UserService/GetUser", request, response,
                    [this](const Context& ctx, const v1::GetUserRequest& req,
                           v1::GetUserResponse& resp) -> asio::awaitable<void> {
                      RequirePositive(req.user_id());
                      Fill(co_await directory_.Get(ctx, req.user_id()), *resp.mutable_user());
                    });
}

::grpc::ServerUnaryReactor* UserGrpcService::GetUsers(::grpc::CallbackServerContext* call,
                                                      const v1::GetUsersRequest* request,
                                                      v1::GetUsersResponse* response) {
  return rpc::Unary(io_, call, "user.v1.UserService/GetUsers", request, response,
                    [this](const Context& ctx, const v1::GetUsersRequest& req,
                           v1::GetUsersResponse& resp) -> asio::awaitable<void> {
                      std::vector<std::int64_t> ids(req.user_ids().begin(), req.user_ids().end());
                      for (auto id : ids) RequirePositive(id);
                      for (const auto& user : co_await directory_.GetMany(ctx, std::move(ids))) {
                        Fill(user, *resp.add_users());
                      }
                    });
}

}  // namespace fo::user::transport
