#pragma once
// The user directory, product catalog and inventory over their gRPC contracts. Anything but the
// answers a port expects (unreachable, timed out, failing) becomes fo::Unavailable.
#include <grpcpp/channel.h>

#include <memory>

#include "inventory/v1/inventory.grpc.pb.h"
#include "product/v1/product.grpc.pb.h"
#include "services/payment/app/ports.hpp"
#include "user/v1/user.grpc.pb.h"

namespace fo::payment::adapters {

class GrpcUserDirectory final : public app::UserDirectory {
 public:
  // `timeout` caps each call when the caller's own deadline is further away.
  GrpcUserDirectory(std::shared_ptr<::grpc::Channel> channel, std::chrono::milliseconds timeout);
  app::Task<app::UserStatus> Validate(const Context& ctx, std::int64_t user_id) override;

 private:
  std::unique_ptr<::user::v1::UserService::Stub> stub_;
  std::chrono::milliseconds timeout_;
};

class GrpcProductCatalog final : public app::ProductCatalog {
 public:
  GrpcProductCatalog(std::shared_ptr<::grpc::Channel> channel, std::chrono::milliseconds timeout);
  app::Task<std::optional<app::Product>> Find(const Context& ctx, std::int64_t product_id) override;

 private:
  std::unique_ptr<::product::v1::ProductService::Stub> stub_;
  std::chrono::milliseconds timeout_;
};

class GrpcInventory final : public app::Inventory {
 public:
  GrpcInventory(std::shared_ptr<::grpc::Channel> channel, std::chrono::milliseconds timeout);
  app::Task<app::Hold> Reserve(const Context& ctx, const std::string& reservation_id,
                               std::int64_t product_id, std::int64_t quantity,
                               std::chrono::seconds ttl) override;
  app::Task<void> Release(const Context& ctx, const std::string& reservation_id) override;

 private:
  std::unique_ptr<::inventory::v1::InventoryService::Stub> stub_;
  std::chrono::milliseconds timeout_;
};

}  // namespace fo::payment::adapters
