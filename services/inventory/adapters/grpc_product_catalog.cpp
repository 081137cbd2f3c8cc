#include "services/inventory/adapters/grpc_product_catalog.hpp"

#include "platform/grpc/client.hpp"

namespace fo::inventory::adapters {

GrpcProductCatalog::GrpcProductCatalog(std::shared_ptr<::grpc::Channel> channel,
                                       std::chrono::milliseconds timeout)
    : stub_(::product::v1::ProductService::NewStub(std::move(channel))), timeout_(timeout) {}

app::Task<bool> GrpcProductCatalog::Exists(const Context& ctx, std::int64_t product_id) {
  ::product::v1::GetProductRequest request;
  request.set_product_id(product_id);
  Context call = ctx;
  call.deadline = std::min(ctx.deadline, std::chrono::steady_clock::now() + timeout_);
  std::optional<ErrorKind> failure;
  std::string message;
  try {
    co_await rpc::Call<::product::v1::GetProductResponse>(
        call, "product.v1.ProductService/GetProduct",
        [&](::grpc::ClientContext* c, ::product::v1::GetProductResponse* r, auto done) {
          stub_->async()->GetProduct(c, &request, r, std::move(done));
        });
    co_return true;
  } catch (const Error& e) {
    failure = e.kind();
    message = e.what();
  }
  if (failure == ErrorKind::kNotFound) co_return false;
  // Unreachable, timed out or failing: the caller must not write anything on a guess.
  throw Unavailable("the product catalog cannot be asked right now (" + message + ")");
}

}  // namespace fo::inventory::adapters
