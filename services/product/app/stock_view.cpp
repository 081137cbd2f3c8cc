#include "services/product/app/stock_view.hpp"

#include "platform/errors/error.hpp"
#include "platform/telemetry/metrics/metrics.hpp"
#include "services/product/domain/rules.hpp"

namespace fo::product::app {
namespace {

std::vector<FieldError> Problems(const EventRef& event, const StockReport& report) {
  std::vector<FieldError> errors;
  if (event.id.empty()) errors.push_back({"event_id", "must not be empty"});
  if (report.product_id < 1) errors.push_back({"product_id", "must be at least 1"});
  if (report.available < 0) errors.push_back({"available", "must not be negative"});
  if (!report.as_of.empty()) {
    if (auto problem = domain::CheckTimestamp(report.as_of)) {
      errors.push_back({"occurred_at", std::move(*problem)});
    }
  }
  return errors;
}

// Stock reports by outcome: duplicates and stale reports show redelivery and reordering.
void Count(StockOutcome outcome) {
  static auto& family = metrics::Global().Counter(
      "product_stock_reports_total", "Inventory stock reports applied to the stock view");
  family.Add({{"outcome", std::string(ToString(outcome))}}).Increment();
}

}  // namespace

Task<StockOutcome> StockView::Apply(const Context& ctx, const EventRef& event,
                                    const StockReport& report) {
  auto errors = Problems(event, report);
  if (!errors.empty()) {
    std::string detail = "invalid stock report: ";
    for (std::size_t i = 0; i < errors.size(); ++i) {
      if (i > 0) detail += "; ";
      detail += errors[i].field + " " + errors[i].message;
    }
    throw InvalidArgument(std::move(detail), std::move(errors));
  }
  const auto outcome = co_await levels_.ApplyStockReport(ctx, event, report);
  Count(outcome);
  co_return outcome;
}

std::string_view ToString(StockOutcome outcome) {
  switch (outcome) {
    case StockOutcome::kApplied:
      return "applied";
    case StockOutcome::kDuplicate:
      return "duplicate";
    case StockOutcome::kStale:
      return "stale";
    case StockOutcome::kUnknownProduct:
      return "unknown_product";
  }
  return "unknown";
}

}  // namespace fo::product::app
