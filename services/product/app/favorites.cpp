#include "services/product/app/favorites.hpp"

#include "platform/errors/error.hpp"

namespace fo::product::app {

Task<void> Favorites::Add(const Context& ctx, std::int64_t user_id, std::int64_t product_id) {
  const bool added = co_await favorites_.Add(ctx, user_id, product_id);
  if (!added) throw NotFound("product " + std::to_string(product_id) + " does not exist");
}

Task<void> Favorites::Remove(const Context& ctx, std::int64_t user_id, std::int64_t product_id) {
  co_await favorites_.Remove(ctx, user_id, product_id);
}

Task<Page> Favorites::List(const Context& ctx, std::int64_t user_id, std::int64_t limit,
                           std::int64_t offset) {
  co_return co_await favorites_.List(ctx, user_id, limit, offset);
}

}  // namespace fo::product::app
