#pragma once
#include <map>

#include "platform/pg/pool.hpp"
#include "services/inventory/app/ports.hpp"

namespace fo::inventory::adapters {

class PgStockRepository final : public app::StockRepository {
 public:
  explicit PgStockRepository(pg::Pool& pool) : pool_(pool) {}
  app::Task<app::StockItem> Create(const Context& ctx, app::NewStock stock) override;
  app::Task<std::optional<app::StockItem>> Find(const Context& ctx, std::int64_t id) override;
  app::Task<app::StockPage> List(const Context& ctx, std::int64_t limit,
                                 std::int64_t offset) override;
  app::Task<std::vector<app::StockItem>> ForProduct(const Context& ctx,
                                                    std::int64_t product_id) override;
  app::Task<std::map<std::int64_t, std::int64_t>> Available(
      const Context& ctx, const std::vector<std::int64_t>& product_ids) override;
  app::Task<app::StockChange> SetOnHand(const Context& ctx, std::int64_t id,
                                        std::int64_t expected_version, std::int64_t on_hand,
                                        const std::string& actor,
                                        const std::string& reason) override;
  app::Task<app::StockChange> AdjustOnHand(const Context& ctx, std::int64_t id, std::int64_t delta,
                                           const std::string& actor,
                                           const std::string& reason) override;

 private:
  app::Task<app::StockChange> Change(const Context& ctx, std::int64_t id,
                                     const pg::Statement& statement, const pg::Params& params);
  app::Task<app::StockChange> Outcome(const Context& ctx, std::int64_t id, pg::Result changed);

  pg::Pool& pool_;
};

// Units available per product, from a row set of (product_id, available) as kAvailable returns.
std::map<std::int64_t, std::int64_t> AvailableByProduct(const pg::Result& result);

}  // namespace fo::inventory::adapters
