#include "services/product/transport/grpc_service.hpp"

#include <algorithm>

#include "platform/errors/error.hpp"
#include "platform/grpc/server.hpp"
#include "services/product/domain/rules.hpp"

namespace fo::product::transport {
namespace asio = boost::asio;
namespace v1 = ::product::v1;

namespace {

void Fill(const app::Product& product, v1::Product& out) {
  out.set_id(product.id);
  out.set_name(product.name);
  out.set_description(product.description);
  out.set_price(product.price);
  out.set_currency(product.currency);
  out.set_category(product.category);
  out.set_sku(product.sku);
  out.set_is_active(product.is_active);
  out.set_stock(product.stock);
  out.set_created_at(product.created_at);
  out.set_updated_at(product.updated_at);
}

void RequirePositive(std::int64_t id) {
  if (id <= 0) throw InvalidArgument("product_id must be a positive integer");
}

// The same filters as GET /api/products; limit 0 means the default and is capped at 100.
domain::ProductFilter FilterFrom(const v1::ListProductsRequest& req) {
  domain::ProductFilter filter;
  if (!req.category().empty()) filter.category = req.category();
  if (req.has_min_price()) filter.min_price = req.min_price();
  if (req.has_max_price()) filter.max_price = req.max_price();
  filter.in_stock = req.in_stock();
  if (!req.include_inactive()) filter.is_active = true;
  if (!req.q().empty()) filter.q = req.q();
  if (!req.sort().empty()) {
    auto sort = domain::ParseSort(req.sort());
    if (!sort) {
      throw InvalidArgument("sort must be one of price, -price, name, created_at, -created_at");
    }
    filter.sort = *sort;
  }
  if (req.limit() < 0) throw InvalidArgument("limit must not be negative");
  filter.limit = req.limit() == 0 ? 50 : std::min<std::int64_t>(req.limit(), 100);
  filter.offset = req.offset();
  return filter;
}

}  // namespace

::grpc::ServerUnaryReactor* ProductGrpcService::GetProduct(::grpc::CallbackServerContext* call,
                                                           const v1::GetProductRequest* request,
                                                           v1::GetProductResponse* response) {
  return rpc::Unary(io_, call, "product.v1.ProductService/GetProduct", request, response,
                    [this](const Context& ctx, const v1::GetProductRequest& req,
                           v1::GetProductResponse& resp) -> asio::awaitable<void> {
                      RequirePositive(req.product_id());
                      Fill(co_await catalog_.GetAny(ctx, req.product_id()),
                           *resp.mutable_product());
                    });
}

::grpc::ServerUnaryReactor* ProductGrpcService::GetProducts(::grpc::CallbackServerContext* call,
                                                            const v1::GetProductsRequest* request,
                                                            v1::GetProductsResponse* response) {
  return rpc::Unary(io_, call, "product.v1.ProductService/GetProducts", request, response,
                    [this](const Context& ctx, const v1::GetProductsRequest& req,
                           v1::GetProductsResponse& resp) -> asio::awaitable<void> {
                      std::vector<std::int64_t> ids(req.product_ids().begin(),
                                                    req.product_ids().end());
                      for (auto id : ids) RequirePositive(id);
                      auto products = co_await catalog_.GetMany(ctx, std::move(ids));
                      for (const auto& product : products) Fill(product, *resp.add_products());
                    });
}

::grpc::ServerUnaryReactor* ProductGrpcService::ListProducts(::grpc::CallbackServerContext* call,
                                                             const v1::ListProductsRequest* request,
                                                             v1::ListProductsResponse* response) {
  return rpc::Unary(io_, call, "product.v1.ProductService/ListProducts", request, response,
                    [this](const Context& ctx, const v1::ListProductsRequest& req,
                           v1::ListProductsResponse& resp) -> asio::awaitable<void> {
                      auto filter = FilterFrom(req);
                      const auto limit = filter.limit;
                      const auto offset = filter.offset;
                      auto page = co_await catalog_.ListAny(ctx, std::move(filter));
                      for (const auto& product : page.items) Fill(product, *resp.add_products());
                      resp.set_total(page.total);
                      resp.set_limit(static_cast<std::int32_t>(limit));
                      resp.set_offset(static_cast<std::int32_t>(offset));
                    });
}

}  // namespace fo::product::transport
