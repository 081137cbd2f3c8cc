#pragma once
// user.v1.UserService over the directory use cases.
#include <boost/asio/io_context.hpp>

#include "services/user/app/directory.hpp"
#include "user/v1/user.grpc.pb.h"

namespace fo::user::transport {

class UserGrpcService final : public ::user::v1::UserService::CallbackService {
 public:
  UserGrpcService(boost::asio::io_context& io, app::Directory& directory)
      : io_(io), directory_(directory) {}

  ::grpc::ServerUnaryReactor* ValidateUser(::grpc::CallbackServerContext* call,
                                           const ::user::v1::ValidateUserRequest* request,
                                           ::user::v1::ValidateUserResponse* response) override;
  ::grpc::ServerUnaryReactor* GetUser(::grpc::CallbackServerContext* call,
                                      const ::user::v1::GetUserRequest* request,
                                      ::user::v1::GetUserResponse* response) override;
  ::grpc::ServerUnaryReactor* GetUsers(::grpc::CallbackServerContext* call,
                                       const ::user::v1::GetUsersRequest* request,
                                       ::user::v1::GetUsersResponse* response) override;

 private:
  boost::asio::io_context& io_;
  app::Directory& directory_;
};

}  // namespace fo::user::transport
