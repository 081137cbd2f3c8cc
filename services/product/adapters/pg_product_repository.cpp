#include "services/product/adapters/pg_product_repository.hpp"

#include <map>
#include <memory>
#include <mutex>

#include "platform/messaging/inbox.hpp"
#include "platform/messaging/outbox.hpp"
#include "services/product/adapters/list_query.hpp"
#include "services/product/adapters/pg_statements.hpp"
#include "services/product/adapters/product_events.hpp"

namespace fo::product::adapters {
namespace {

using app::Product;
using app::Task;

Product RowToProduct(const pg::Row& row) {
  Product product;
  product.id = row.Int(0);
  product.name = row.String(1);
  product.description = row.String(2);
  product.price = row.Int(3);
  product.currency = row.String(4);
  product.category = row.String(5);
  product.sku = row.String(6);
  product.is_active = row.Bool(7);
  product.stock = row.Int(8);
  product.created_at = row.String(9);
  product.updated_at = row.String(10);
  return product;
}

std::optional<Product> FirstProduct(const pg::Result& result) {
  if (result.Empty()) return std::nullopt;
  return RowToProduct(result[0]);
}

std::vector<Product> AllProducts(const pg::Result& result) {
  std::vector<Product> products;
  products.reserve(static_cast<std::size_t>(result.Rows()));
  for (int i = 0; i < result.Rows(); ++i) products.push_back(RowToProduct(result[i]));
  return products;
}

// A live sku is unique (partial unique index); a duplicate is a conflict on the field.
[[noreturn]] void RethrowUnique(const pg::DbError& e) {
  if (e.constraint() == "products_sku_live_key") {
    throw Error(ErrorKind::kConflict, "a product with this sku already exists",
                {{"sku", "is already used by another product"}});
  }
  throw;
}

// The list statements are built per filter shape; a statement must outlive every connection
// that prepared it, so each distinct text is kept for the life of the process (at most a few
// hundred shapes exist).
const pg::Statement& Interned(const std::string& name, const std::string& sql) {
  struct Owned {
    std::string name, sql;
    pg::Statement statement;
  };
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Owned>, std::less<>> statements;
  const std::lock_guard lock(mutex);
  auto& slot = statements[name];
  if (!slot) {
    slot = std::make_unique<Owned>();
    slot->name = name;
    slot->sql = sql;
    slot->statement = pg::Statement{slot->name, slot->sql, "SELECT", "products"};
  }
  return slot->statement;
}

}  // namespace

Task<Product> PgProductRepository::Create(const Context& ctx, domain::ProductFields f) {
  try {
    co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<Product> {
      auto result = co_await tx.Query(
          sql::kInsert,
          pg::Params(f.name, f.description, f.price, f.currency, f.category, f.sku, f.is_active));
      auto product = RowToProduct(result[0]);
      co_await messaging::Append(tx, ctx, ProductCreatedEvent(product));
      co_return product;
    });
  } catch (const pg::DbError& e) {
    if (!e.IsUniqueViolation()) throw;
    RethrowUnique(e);
  }
}

Task<std::optional<Product>> PgProductRepository::Find(const Context& ctx, std::int64_t id) {
  co_return FirstProduct(co_await pool_.Query(ctx, sql::kFindById, pg::Params(id)));
}

Task<std::vector<Product>> PgProductRepository::FindMany(const Context& ctx,
                                                         const std::vector<std::int64_t>& ids) {
  co_return AllProducts(co_await pool_.Query(ctx, sql::kFindMany, pg::Params(ids)));
}

Task<std::optional<Product>> PgProductRepository::Replace(const Context& ctx, std::int64_t id,
                                                          domain::ProductFields f) {
  try {
    co_return co_await ChangeAndAnnounce(
        ctx, sql::kReplace,
        pg::Params(id, f.name, f.description, f.price, f.currency, f.category, f.sku, f.is_active));
  } catch (const pg::DbError& e) {
    if (!e.IsUniqueViolation()) throw;
    RethrowUnique(e);
  }
}

Task<std::optional<Product>> PgProductRepository::Update(const Context& ctx, std::int64_t id,
                                                         domain::ProductChanges c) {
  try {
    co_return co_await ChangeAndAnnounce(
        ctx, sql::kUpdate,
        pg::Params(id, c.name, c.description, c.price, c.currency, c.category, c.sku, c.is_active));
  } catch (const pg::DbError& e) {
    if (!e.IsUniqueViolation()) throw;
    RethrowUnique(e);
  }
}

Task<std::optional<Product>> PgProductRepository::ChangeAndAnnounce(const Context& ctx,
                                                                    const pg::Statement& statement,
                                                                    pg::Params params) {
  co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<std::optional<Product>> {
    auto product = FirstProduct(co_await tx.Query(statement, params));
    if (product) co_await messaging::Append(tx, ctx, ProductUpdatedEvent(*product));
    co_return product;
  });
}

Task<bool> PgProductRepository::Delete(const Context& ctx, std::int64_t id) {
  co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<bool> {
    auto result = co_await tx.Query(sql::kSoftDelete, pg::Params(id));
    if (result.Empty()) co_return false;
    co_await messaging::Append(tx, ctx,
                               ProductDeletedEvent(id, result[0].String(0), result[0].String(1)));
    co_return true;
  });
}

Task<app::Page> PgProductRepository::List(const Context& ctx, const domain::ProductFilter& filter) {
  const auto query = BuildListQuery(filter);
  const auto& page_statement = Interned(query.page_name, query.page_sql);
  const auto& count_statement = Interned(query.count_name, query.count_sql);
  auto rows = co_await pool_.Query(ctx, page_statement, query.page_params);
  auto count = co_await pool_.Query(ctx, count_statement, query.count_params);
  app::Page page;
  page.items = AllProducts(rows);
  page.total = count[0].Int(0);
  co_return page;
}

Task<domain::Stats> PgProductRepository::Stats(const Context& ctx,
                                               std::int64_t low_stock_threshold) {
  auto totals = co_await pool_.Query(ctx, sql::kStats, pg::Params(low_stock_threshold));
  auto categories = co_await Categories(ctx);
  auto row = totals[0];
  domain::Stats stats;
  stats.total_products = row.Int(0);
  stats.active_products = row.Int(1);
  stats.out_of_stock = row.Int(2);
  stats.low_stock = row.Int(3);
  stats.total_stock = row.Int(4);
  stats.average_price = row.Int(5);
  stats.total_categories = row.Int(6);
  for (auto& category : categories) {
    stats.products_by_category.emplace(std::move(category.name), category.count);
  }
  co_return stats;
}

Task<std::vector<domain::CategoryCount>> PgProductRepository::Categories(const Context& ctx) {
  auto rows = co_await pool_.Query(ctx, sql::kCategories);
  std::vector<domain::CategoryCount> categories;
  categories.reserve(static_cast<std::size_t>(rows.Rows()));
  for (int i = 0; i < rows.Rows(); ++i) {
    categories.push_back(domain::CategoryCount{rows[i].String(0), rows[i].Int(1)});
  }
  co_return categories;
}

Task<app::StockOutcome> PgProductRepository::ApplyStockReport(const Context& ctx,
                                                              const app::EventRef& event,
                                                              const app::StockReport& report) {
  co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<app::StockOutcome> {
    const bool first = co_await messaging::ClaimInbox(tx, event.id, event.type, event.topic);
    if (!first) co_return app::StockOutcome::kDuplicate;
    const std::optional<std::string> as_of =
        report.as_of.empty() ? std::nullopt : std::optional<std::string>(report.as_of);
    auto result =
        co_await tx.Query(sql::kApplyStock, pg::Params(report.product_id, report.available, as_of));
    if (result[0].Int(0) == 0) co_return app::StockOutcome::kUnknownProduct;
    if (result[0].Int(1) == 0) co_return app::StockOutcome::kStale;
    co_return app::StockOutcome::kApplied;
  });
}

Task<bool> PgFavoriteRepository::Add(const Context& ctx, std::int64_t user_id,
                                     std::int64_t product_id) {
  auto result = co_await pool_.Query(ctx, sql::kAddFavorite, pg::Params(user_id, product_id));
  co_return result[0].Int(0) > 0;
}

Task<void> PgFavoriteRepository::Remove(const Context& ctx, std::int64_t user_id,
                                        std::int64_t product_id) {
  co_await pool_.Query(ctx, sql::kRemoveFavorite, pg::Params(user_id, product_id));
}

Task<app::Page> PgFavoriteRepository::List(const Context& ctx, std::int64_t user_id,
                                           std::int64_t limit, std::int64_t offset) {
  auto rows = co_await pool_.Query(ctx, sql::kListFavorites, pg::Params(user_id, limit, offset));
  auto count = co_await pool_.Query(ctx, sql::kCountFavorites, pg::Params(user_id));
  app::Page page;
  page.items = AllProducts(rows);
  page.total = count[0].Int(0);
  co_return page;
}

}  // namespace fo::product::adapters
