#pragma once
// Reading the catalog: what shoppers and admins browse over HTTP and other services ask over
// gRPC. Only admins see inactive products over HTTP; services see them (payment decides).
#include "services/product/app/ports.hpp"

namespace fo::product::app {

struct Viewer {
  bool is_admin = false;
};

class Catalog {
 public:
  Catalog(ProductRepository& products, std::int64_t low_stock_threshold)
      : products_(products), low_stock_threshold_(low_stock_threshold) {}

  // NotFound when absent, deleted, or inactive and the viewer is not an admin.
  Task<Product> Get(const Context& ctx, std::int64_t id, Viewer viewer);
  // Non-admins see active products only; asking for inactive ones is PermissionDenied.
  Task<Page> List(const Context& ctx, domain::ProductFilter filter, Viewer viewer);
  Task<domain::Stats> Stats(const Context& ctx);
  Task<std::vector<domain::CategoryCount>> Categories(const Context& ctx);

  // For other services: inactive products included.
  Task<Product> GetAny(const Context& ctx, std::int64_t id);
  Task<std::vector<Product>> GetMany(const Context& ctx, std::vector<std::int64_t> ids);
  Task<Page> ListAny(const Context& ctx, domain::ProductFilter filter);

 private:
  ProductRepository& products_;
  std::int64_t low_stock_threshold_;
};

}  // namespace fo::product::app
