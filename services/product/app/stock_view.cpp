#include "services/product/app/stock_view.hpp"

#include "platform/errors/error.hpp"

namespace fo::product::app {

Task<bool> StockView::SetStockLevel(const Context& ctx, std::int64_t product_id,
                                    std::int64_t available) {
  if (available < 0) throw InvalidArgument("available stock must not be negative");
  co_return co_await levels_.SetStockLevel(ctx, product_id, available);
}

}  // namespace fo::product::app
