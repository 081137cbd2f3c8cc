#pragma once
// What admins do to the catalog: create, replace, update and (soft) delete products.
#include "services/product/app/ports.hpp"

namespace fo::product::app {

class Administration {
 public:
  explicit Administration(ProductRepository& products) : products_(products) {}

  // Conflict when a live product has the sku.
  Task<Product> Create(const Context& ctx, domain::ProductFields fields);
  Task<Product> Replace(const Context& ctx, std::int64_t id, domain::ProductFields fields);
  Task<Product> Update(const Context& ctx, std::int64_t id, domain::ProductChanges changes);
  // NotFound when absent or already deleted.
  Task<void> Delete(const Context& ctx, std::int64_t id);

 private:
  ProductRepository& products_;
};

}  // namespace fo::product::app
