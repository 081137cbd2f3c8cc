#pragma once
// An in-memory stock view with the adapter's semantics: an inbox of event ids, and a report
// older than the one applied last changes nothing (times compare as text: same-format UTC).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "services/product/app/ports.hpp"

namespace fo::product::testing {

class FakeStockLevels final : public app::StockLevels {
 public:
  struct Level {
    std::int64_t available = 0;
    std::string as_of;
  };
  std::map<std::int64_t, Level> products;  // the products that exist, with their stock
  std::set<std::string> inbox;
  std::vector<app::EventRef> seen;  // every call, in order

  app::Task<app::StockOutcome> ApplyStockReport(const Context&, const app::EventRef& event,
                                                const app::StockReport& report) override {
    seen.push_back(event);
    if (!inbox.insert(event.id).second) co_return app::StockOutcome::kDuplicate;
    auto it = products.find(report.product_id);
    if (it == products.end()) co_return app::StockOutcome::kUnknownProduct;
    auto& level = it->second;
    if (!report.as_of.empty() && !level.as_of.empty() && report.as_of < level.as_of) {
      co_return app::StockOutcome::kStale;
    }
    level.available = report.available;
    if (!report.as_of.empty()) level.as_of = report.as_of;
    co_return app::StockOutcome::kApplied;
  }
};

}  // namespace fo::product::testing
