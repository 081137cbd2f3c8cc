#pragma once
// Reading stock: pages of rows, one row, a product's locations, an availability check.
#include "services/inventory/app/ports.hpp"

namespace fo::inventory::app {

struct ProductStock {
  std::int64_t product_id = 0;
  std::int64_t on_hand = 0;
  std::int64_t reserved = 0;
  std::int64_t available = 0;
  std::vector<StockItem> locations;
};

struct Availability {
  std::int64_t product_id = 0;
  std::int64_t requested = 0;
  std::int64_t available = 0;
  bool in_stock = false;
};

class StockQueries {
 public:
  explicit StockQueries(StockRepository& stock) : stock_(stock) {}

  Task<StockPage> List(const Context& ctx, std::int64_t limit, std::int64_t offset);
  Task<StockItem> Get(const Context& ctx, std::int64_t id);                    // NotFound
  Task<ProductStock> ForProduct(const Context& ctx, std::int64_t product_id);  // NotFound
  // A product without stock rows has 0 available.
  Task<Availability> Check(const Context& ctx, std::int64_t product_id, std::int64_t quantity);
  // One answer per item, in order (items checked with domain::CheckItems).
  Task<std::vector<Availability>> CheckMany(const Context& ctx, const std::vector<Line>& items);

 private:
  StockRepository& stock_;
};

}  // namespace fo::inventory::app
