#pragma once
// product.v1.ProductService over the catalog use cases.
#include <boost/asio/io_context.hpp>

#include "product/v1/product.grpc.pb.h"
#include "services/product/app/catalog.hpp"

namespace fo::product::transport {

class ProductGrpcService final : public ::product::v1::ProductService::CallbackService {
 public:
  ProductGrpcService(boost::asio::io_context& io, app::Catalog& catalog)
      : io_(io), catalog_(catalog) {}

  ::grpc::ServerUnaryReactor* GetProduct(::grpc::CallbackServerContext* call,
                                         const ::product::v1::GetProductRequest* request,
                                         ::product::v1::GetProductResponse* response) override;
  ::grpc::ServerUnaryReactor* GetProducts(::grpc::CallbackServerContext* call,
                                          const ::product::v1::GetProductsRequest* request,
                                          ::product::v1::GetProductsResponse* response) override;
  ::grpc::ServerUnaryReactor* ListProducts(::grpc::CallbackServerContext* call,
                                           const ::product::v1::ListProductsRequest* request,
                                           ::product::v1::ListProductsResponse* response) override;

 private:
  boost::asio::io_context& io_;
  app::Catalog& catalog_;
};

}  // namespace fo::product::transport
