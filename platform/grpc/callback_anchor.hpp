#pragma once
// gRPC 1.51 refuses to start a server that has no callback method ("At least one of the
// completion queues must be frequently polled"), even though the default health service is
// there. Server::Start registers this placeholder (one method answering UNIMPLEMENTED) for a
// program that serves no gRPC API of its own, such as payment.
#include <grpcpp/impl/service_type.h>

namespace fo::rpc {

class CallbackAnchor final : public ::grpc::Service {
 public:
  CallbackAnchor();
};

}  // namespace fo::rpc
