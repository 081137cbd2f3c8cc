#pragma once
// gRPC server glue over the callback API: a handler is a coroutine on the process's io_context;
// the reactor finishes when it completes. Each call gets the caller's trace context and
// deadline from metadata, a server span, metrics, and errors mapped to status codes.
#include <grpcpp/server.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/context/context.hpp"

namespace fo::rpc {

struct ServerOptions {
  std::string address = "0.0.0.0";
  std::uint16_t port = 9090;                                 // 0 picks a free port
  static ServerOptions FromEnv(std::uint16_t default_port);  // GRPC_PORT
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  void Register(::grpc::Service* service);  // before Start; not owned
  void Start();                             // throws when the port cannot be bound
  std::uint16_t Port() const { return port_; }
  void SetServing(bool serving);  // the standard health service's answer
  void Shutdown(std::chrono::milliseconds grace);

 private:
  ServerOptions options_;
  std::vector<::grpc::Service*> services_;
  std::unique_ptr<::grpc::Service> anchor_;  // only when no service was registered
  std::unique_ptr<::grpc::Server> server_;
  int port_ = 0;
};

using UnaryBody = std::function<boost::asio::awaitable<void>(const Context&)>;

// Runs `body` as a coroutine on `io` and finishes the call's reactor when it completes.
::grpc::ServerUnaryReactor* RunUnary(boost::asio::io_context& io,
                                     ::grpc::CallbackServerContext* call, std::string method,
                                     UnaryBody body);

// Typed convenience: fn(ctx, request, response) -> awaitable<void>.
template <typename Req, typename Resp, typename Fn>
::grpc::ServerUnaryReactor* Unary(boost::asio::io_context& io, ::grpc::CallbackServerContext* call,
                                  std::string method, const Req* request, Resp* response, Fn fn) {
  return RunUnary(io, call, std::move(method),
                  [request, response, fn = std::move(fn)](const Context& ctx) {
                    return fn(ctx, *request, *response);
                  });
}

}  // namespace fo::rpc
