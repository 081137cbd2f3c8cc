#pragma once
// gRPC client calls as awaitables: the caller's deadline becomes the call deadline, its trace
// context travels as `traceparent` metadata, and a failed status becomes an fo::Error.
#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <memory>
#include <string>

#include "platform/context/context.hpp"
#include "platform/grpc/status.hpp"

namespace fo::rpc {

std::shared_ptr<::grpc::Channel> MakeChannel(const std::string& target);

// Per-call bookkeeping (span, metrics, metadata) kept out of the template.
class CallScope {
 public:
  CallScope(const Context& ctx, std::string method, ::grpc::ClientContext& call);
  ~CallScope();
  void Done(const ::grpc::Status& status);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// invoke(ClientContext*, Resp*, std::function<void(::grpc::Status)>) starts the call on the
// stub's async() interface, e.g.
//   co_await Call<GetUserResponse>(ctx, "user.v1.UserService/GetUser",
//       [&](auto* c, auto* r, auto done) { stub->async()->GetUser(c, &request, r, done); });
template <typename Resp, typename Invoke>
boost::asio::awaitable<Resp> Call(const Context& ctx, std::string method, Invoke invoke) {
  ::grpc::ClientContext call;
  CallScope scope(ctx, method, call);
  Resp response;
  auto status = co_await boost::asio::async_initiate<const boost::asio::use_awaitable_t<>,
                                                     void(::grpc::Status)>(
      [&](auto handler) {
        // gRPC completes on its own thread; resume the coroutine on its executor.
        auto shared = std::make_shared<decltype(handler)>(std::move(handler));
        invoke(&call, &response, [shared](::grpc::Status s) {
          auto executor = boost::asio::get_associated_executor(*shared);
          boost::asio::post(executor,
                            [shared, s = std::move(s)]() mutable { (*shared)(std::move(s)); });
        });
      },
      boost::asio::use_awaitable);
  scope.Done(status);
  if (!status.ok()) throw ErrorFromStatus(status, method);
  co_return response;
}

}  // namespace fo::rpc
