#pragma once
// What the use cases need from the outside world. Adapters implement these over PostgreSQL;
// unit tests implement them in memory.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/context/context.hpp"
#include "services/product/domain/product.hpp"

namespace fo::product::app {

template <typename T>
using Task = boost::asio::awaitable<T>;
using domain::Product;

struct Page {
  std::vector<Product> items;
  std::int64_t total = 0;
};

// Every write below announces itself on product.events (ProductCreated, ProductUpdated,
// ProductDeleted) in the same transaction as the change: both happen or neither does.
class ProductRepository {
 public:
  virtual ~ProductRepository() = default;
  // Throws Conflict naming sku when a live product has the sku.
  virtual Task<Product> Create(const Context& ctx, domain::ProductFields fields) = 0;
  // A live product (inactive ones included); nullopt when absent or deleted.
  virtual Task<std::optional<Product>> Find(const Context& ctx, std::int64_t id) = 0;
  // The live products among `ids` (unknown and deleted ones left out), by id.
  virtual Task<std::vector<Product>> FindMany(const Context& ctx,
                                              const std::vector<std::int64_t>& ids) = 0;
  // Full replace / partial update of a live product; nullopt when absent or deleted.
  virtual Task<std::optional<Product>> Replace(const Context& ctx, std::int64_t id,
                                               domain::ProductFields fields) = 0;
  virtual Task<std::optional<Product>> Update(const Context& ctx, std::int64_t id,
                                              domain::ProductChanges changes) = 0;
  // Soft delete; false when absent or already deleted.
  virtual Task<bool> Delete(const Context& ctx, std::int64_t id) = 0;
  virtual Task<Page> List(const Context& ctx, const domain::ProductFilter& filter) = 0;
  virtual Task<domain::Stats> Stats(const Context& ctx, std::int64_t low_stock_threshold) = 0;
  // Categories of active live products with their counts, by name.
  virtual Task<std::vector<domain::CategoryCount>> Categories(const Context& ctx) = 0;
};

// Which event a change comes from; the inbox keeps its id so that a redelivered event is
// never applied twice.
struct EventRef {
  std::string id;     // ce_id
  std::string type;   // ce_type
  std::string topic;  // where it was consumed from
};

// Inventory's report of one product's available stock.
struct StockReport {
  std::int64_t product_id = 0;
  std::int64_t available = 0;
  std::string as_of;  // RFC 3339: when the stock changed at inventory; empty when unknown
};

enum class StockOutcome {
  kApplied,         // the view shows `available` now
  kDuplicate,       // this event was applied before: nothing changed
  kStale,           // the view holds a newer report (a later as_of): nothing changed
  kUnknownProduct,  // no such product here: nothing changed
};

// The service's read-only view of available stock, written from inventory's reports.
class StockLevels {
 public:
  virtual ~StockLevels() = default;
  // In one transaction: records event.id as processed, then sets the product's stock unless it
  // was applied before or the view holds a report with a later as_of (an empty as_of always
  // applies). Only kApplied changes the view.
  virtual Task<StockOutcome> ApplyStockReport(const Context& ctx, const EventRef& event,
                                              const StockReport& report) = 0;
};

class FavoriteRepository {
 public:
  virtual ~FavoriteRepository() = default;
  // Idempotent; false when the product is not live.
  virtual Task<bool> Add(const Context& ctx, std::int64_t user_id, std::int64_t product_id) = 0;
  virtual Task<void> Remove(const Context& ctx, std::int64_t user_id, std::int64_t product_id) = 0;
  // The user's favorites that are live and active, most recently added first.
  virtual Task<Page> List(const Context& ctx, std::int64_t user_id, std::int64_t limit,
                          std::int64_t offset) = 0;
};

}  // namespace fo::product::app
