#pragma once
// Keeps the catalog's view of available stock; inventory's events drive it (the consumer comes
// with the events work), so there is no HTTP route for it.
#include "services/product/app/ports.hpp"

namespace fo::product::app {

class StockView {
 public:
  explicit StockView(StockLevels& levels) : levels_(levels) {}

  // InvalidArgument for a negative level; false when the product does not exist.
  Task<bool> SetStockLevel(const Context& ctx, std::int64_t product_id, std::int64_t available);

 private:
  StockLevels& levels_;
};

}  // namespace fo::product::app
