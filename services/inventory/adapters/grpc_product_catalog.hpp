#pragma once
// The product catalog over product.v1.ProductService/GetProduct.
#include <grpcpp/channel.h>

#include <memory>

#include "product/v1/product.grpc.pb.h"
#include "services/inventory/app/ports.hpp"

namespace fo::inventory::adapters {

class GrpcProductCatalog final : public app::ProductCatalog {
 public:
  // `timeout` caps each call when the caller's own deadline is further away.
  GrpcProductCatalog(std::shared_ptr<::grpc::Channel> channel, std::chrono::milliseconds timeout);
  app::Task<bool> Exists(const Context& ctx, std::int64_t product_id) override;

 private:
  std::unique_ptr<::product::v1::ProductService::Stub> stub_;
  std::chrono::milliseconds timeout_;
};

}  // namespace fo::inventory::adapters
