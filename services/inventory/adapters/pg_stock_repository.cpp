#include "services/inventory/adapters/pg_stock_repository.hpp"

#include "services/inventory/adapters/inventory_events.hpp"
#include "services/inventory/adapters/pg_statements.hpp"

namespace fo::inventory::adapters {
namespace {

using app::StockItem;
using app::Task;

StockItem RowToStock(const pg::Row& row) {
  StockItem item;
  item.id = row.Int(0);
  item.product_id = row.Int(1);
  item.location = row.String(2);
  item.on_hand = row.Int(3);
  item.reserved = row.Int(4);
  item.version = row.Int(5);
  item.created_at = row.String(6);
  item.updated_at = row.String(7);
  return item;
}

std::vector<StockItem> AllRows(const pg::Result& result) {
  std::vector<StockItem> items;
  items.reserve(static_cast<std::size_t>(result.Rows()));
  for (int i = 0; i < result.Rows(); ++i) items.push_back(RowToStock(result[i]));
  return items;
}

}  // namespace

std::map<std::int64_t, std::int64_t> AvailableByProduct(const pg::Result& result) {
  std::map<std::int64_t, std::int64_t> available;
  for (int i = 0; i < result.Rows(); ++i) available[result[i].Int(0)] = result[i].Int(1);
  return available;
}

Task<StockItem> PgStockRepository::Create(const Context& ctx, app::NewStock stock) {
  try {
    co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<StockItem> {
      auto result = co_await tx.Query(
          sql::kInsertStock,
          pg::Params(stock.product_id, stock.location, stock.on_hand, stock.actor));
      auto item = RowToStock(result[0]);
      const std::vector<std::int64_t> products(1, item.product_id);
      co_await AnnounceLevels(tx, ctx, products, "stocked", "");
      co_return item;
    });
  } catch (const pg::DbError& e) {
    if (!e.IsUniqueViolation()) throw;
  }
  throw Error(ErrorKind::kConflict,
              "product " + std::to_string(stock.product_id) + " already has stock at location '" +
                  stock.location + "'",
              {{"location", "already has a stock row for this product"}});
}

Task<std::optional<StockItem>> PgStockRepository::Find(const Context& ctx, std::int64_t id) {
  auto result = co_await pool_.Query(ctx, sql::kFindStock, pg::Params(id));
  if (result.Empty()) co_return std::nullopt;
  co_return RowToStock(result[0]);
}

Task<app::StockPage> PgStockRepository::List(const Context& ctx, std::int64_t limit,
                                             std::int64_t offset) {
  auto rows = co_await pool_.Query(ctx, sql::kListStock, pg::Params(limit, offset));
  auto count = co_await pool_.Query(ctx, sql::kCountStock);
  app::StockPage page;
  page.items = AllRows(rows);
  page.total = count[0].Int(0);
  co_return page;
}

Task<std::vector<StockItem>> PgStockRepository::ForProduct(const Context& ctx,
                                                           std::int64_t product_id) {
  co_return AllRows(co_await pool_.Query(ctx, sql::kStockOfProduct, pg::Params(product_id)));
}

Task<std::map<std::int64_t, std::int64_t>> PgStockRepository::Available(
    const Context& ctx, const std::vector<std::int64_t>& product_ids) {
  co_return AvailableByProduct(co_await pool_.Query(ctx, sql::kAvailable, pg::Params(product_ids)));
}

Task<app::StockChange> PgStockRepository::SetOnHand(const Context& ctx, std::int64_t id,
                                                    std::int64_t expected_version,
                                                    std::int64_t on_hand, const std::string& actor,
                                                    const std::string& reason) {
  const pg::Params params(id, expected_version, on_hand, actor, reason);
  co_return co_await Change(ctx, id, sql::kSetOnHand, params);
}

Task<app::StockChange> PgStockRepository::AdjustOnHand(const Context& ctx, std::int64_t id,
                                                       std::int64_t delta, const std::string& actor,
                                                       const std::string& reason) {
  const pg::Params params(id, delta, actor, reason);
  co_return co_await Change(ctx, id, sql::kAdjustOnHand, params);
}

// A conditional change and, when it happened, its InventoryUpdated event: one transaction.
Task<app::StockChange> PgStockRepository::Change(const Context& ctx, std::int64_t id,
                                                 const pg::Statement& statement,
                                                 const pg::Params& params) {
  auto result = co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<pg::Result> {
    auto changed = co_await tx.Query(statement, params);
    if (!changed.Empty()) {
      const std::vector<std::int64_t> products(1, changed[0].Int(1));
      co_await AnnounceLevels(tx, ctx, products, "adjustment", "");
    }
    co_return changed;
  });
  co_return co_await Outcome(ctx, id, std::move(result));
}

// When the condition failed, the row as it is now tells the caller why (stale or short); it is
// only read for the answer, never written from.
Task<app::StockChange> PgStockRepository::Outcome(const Context& ctx, std::int64_t id,
                                                  pg::Result changed) {
  app::StockChange change;
  if (!changed.Empty()) {
    change.changed = RowToStock(changed[0]);
    co_return change;
  }
  change.current = co_await Find(ctx, id);
  co_return change;
}

}  // namespace fo::inventory::adapters
