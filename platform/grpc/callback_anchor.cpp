#include "platform/grpc/callback_anchor.hpp"

#include <google/protobuf/empty.pb.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/impl/codegen/server_callback_handlers.h>
#include <grpcpp/impl/rpc_service_method.h>

namespace fo::rpc {

CallbackAnchor::CallbackAnchor() {
  using Empty = google::protobuf::Empty;
  AddMethod(new ::grpc::internal::RpcServiceMethod(
      "/fo.internal.Anchor/Unimplemented", ::grpc::internal::RpcMethod::NORMAL_RPC, nullptr));
  MarkMethodCallback(0, new ::grpc::internal::CallbackUnaryHandler<Empty, Empty>(
                            [](::grpc::CallbackServerContext* context, const Empty*, Empty*) {
                              auto* reactor = context->DefaultReactor();
                              reactor->Finish(::grpc::Status(::grpc::StatusCode::UNIMPLEMENTED,
                                                             "this program serves no gRPC API"));
                              return reactor;
                            }));
}

}  // namespace fo::rpc
