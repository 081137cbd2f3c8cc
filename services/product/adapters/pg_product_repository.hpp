#pragma once
// The catalog, its stock view and favorites over PostgreSQL. Catalog writes append their
// product.events outbox row in the same transaction; stock reports claim their event id in the
// inbox in the same transaction as the stock change.
#include "platform/pg/pool.hpp"
#include "services/product/app/ports.hpp"

namespace fo::product::adapters {

class PgProductRepository final : public app::ProductRepository, public app::StockLevels {
 public:
  explicit PgProductRepository(pg::Pool& pool) : pool_(pool) {}
  app::Task<app::Product> Create(const Context& ctx, domain::ProductFields fields) override;
  app::Task<std::optional<app::Product>> Find(const Context& ctx, std::int64_t id) override;
  app::Task<std::vector<app::Product>> FindMany(const Context& ctx,
                                                const std::vector<std::int64_t>& ids) override;
  app::Task<std::optional<app::Product>> Replace(const Context& ctx, std::int64_t id,
                                                 domain::ProductFields fields) override;
  app::Task<std::optional<app::Product>> Update(const Context& ctx, std::int64_t id,
                                                domain::ProductChanges changes) override;
  app::Task<bool> Delete(const Context& ctx, std::int64_t id) override;
  app::Task<app::Page> List(const Context& ctx, const domain::ProductFilter& filter) override;
  app::Task<domain::Stats> Stats(const Context& ctx, std::int64_t low_stock_threshold) override;
  app::Task<std::vector<domain::CategoryCount>> Categories(const Context& ctx) override;
  app::Task<app::StockOutcome> ApplyStockReport(const Context& ctx, const app::EventRef& event,
                                                const app::StockReport& report) override;

 private:
  // Runs an UPDATE ... RETURNING product and, when it matched, appends ProductUpdated, in one
  // transaction.
  app::Task<std::optional<app::Product>> ChangeAndAnnounce(const Context& ctx,
                                                           const pg::Statement& statement,
                                                           pg::Params params);

  pg::Pool& pool_;
};

class PgFavoriteRepository final : public app::FavoriteRepository {
 public:
  explicit PgFavoriteRepository(pg::Pool& pool) : pool_(pool) {}
  app::Task<bool> Add(const Context& ctx, std::int64_t user_id, std::int64_t product_id) override;
  app::Task<void> Remove(const Context& ctx, std::int64_t user_id,
                         std::int64_t product_id) override;
  app::Task<app::Page> List(const Context& ctx, std::int64_t user_id, std::int64_t limit,
                            std::int64_t offset) override;

 private:
  pg::Pool& pool_;
};

}  // namespace fo::product::adapters
