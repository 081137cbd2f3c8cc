#pragma once
// A signed-in user's favorite products.
#include "services/product/app/ports.hpp"

namespace fo::product::app {

class Favorites {
 public:
  explicit Favorites(FavoriteRepository& favorites) : favorites_(favorites) {}

  // Idempotent; NotFound when the product is absent or deleted.
  Task<void> Add(const Context& ctx, std::int64_t user_id, std::int64_t product_id);
  // Idempotent: removing what is not there is fine.
  Task<void> Remove(const Context& ctx, std::int64_t user_id, std::int64_t product_id);
  Task<Page> List(const Context& ctx, std::int64_t user_id, std::int64_t limit,
                  std::int64_t offset);

 private:
  FavoriteRepository& favorites_;
};

}  // namespace fo::product::app
