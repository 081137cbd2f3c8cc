#pragma once
// Keeps the catalog's view of available stock from inventory's reports (InventoryUpdated events),
// so there is no HTTP route for it.
#include "services/product/app/ports.hpp"

namespace fo::product::app {

class StockView {
 public:
  explicit StockView(StockLevels& levels) : levels_(levels) {}

  // Applies a report at most once per event. InvalidArgument (naming the field) for a report
  // that can never apply: a product id below 1, negative stock, an as_of that is not RFC 3339.
  Task<StockOutcome> Apply(const Context& ctx, const EventRef& event, const StockReport& report);

 private:
  StockLevels& levels_;
};

std::string_view ToString(StockOutcome outcome);

}  // namespace fo::product::app
