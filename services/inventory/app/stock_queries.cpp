#include "services/inventory/app/stock_queries.hpp"

#include "platform/errors/error.hpp"

namespace fo::inventory::app {

Task<StockPage> StockQueries::List(const Context& ctx, std::int64_t limit, std::int64_t offset) {
  co_return co_await stock_.List(ctx, limit, offset);
}

Task<StockItem> StockQueries::Get(const Context& ctx, std::int64_t id) {
  auto item = co_await stock_.Find(ctx, id);
  if (!item) throw NotFound("stock item " + std::to_string(id) + " does not exist");
  co_return *item;
}

Task<ProductStock> StockQueries::ForProduct(const Context& ctx, std::int64_t product_id) {
  auto rows = co_await stock_.ForProduct(ctx, product_id);
  if (rows.empty()) {
    throw NotFound("product " + std::to_string(product_id) + " has no stock records");
  }
  ProductStock out;
  out.product_id = product_id;
  for (const auto& row : rows) {
    out.on_hand += row.on_hand;
    out.reserved += row.reserved;
  }
  out.available = out.on_hand - out.reserved;
  out.locations = std::move(rows);
  co_return out;
}

Task<Availability> StockQueries::Check(const Context& ctx, std::int64_t product_id,
                                       std::int64_t quantity) {
  const std::vector<Line> items(1, Line{product_id, quantity});
  auto answers = co_await CheckMany(ctx, items);
  co_return answers.front();
}

Task<std::vector<Availability>> StockQueries::CheckMany(const Context& ctx,
                                                        const std::vector<Line>& items) {
  std::vector<std::int64_t> ids;
  ids.reserve(items.size());
  for (const auto& item : items) ids.push_back(item.product_id);
  const auto available = co_await stock_.Available(ctx, ids);
  std::vector<Availability> out;
  out.reserve(items.size());
  for (const auto& item : items) {
    const auto it = available.find(item.product_id);
    const std::int64_t units = it == available.end() ? 0 : it->second;
    out.push_back(Availability{item.product_id, item.quantity, units, units >= item.quantity});
  }
  co_return out;
}

}  // namespace fo::inventory::app
