#pragma once
// Changing stock by hand (admins): create a product's row at a location, set or adjust on_hand.
#include "services/inventory/app/ports.hpp"

namespace fo::inventory::app {

struct CreateStock {
  std::int64_t product_id = 0;
  std::int64_t quantity = 0;
  std::optional<std::string> location;  // default "main"
  std::string actor;
};

// Exactly one of `quantity` (absolute, needs If-Match) or `delta` (relative, non-zero).
struct ChangeQuantity {
  std::int64_t product_id = 0;
  std::optional<std::int64_t> quantity;
  std::optional<std::int64_t> delta;
  std::optional<std::string> location;  // required when the product has several locations
  std::optional<std::string> reason;
  std::optional<std::string> if_match;  // the raw If-Match header
  std::string actor;
};

class StockCommands {
 public:
  StockCommands(StockRepository& stock, ProductCatalog& catalog)
      : stock_(stock), catalog_(catalog) {}

  // Unprocessable when the catalog does not know the product; Unavailable when it cannot be
  // asked (nothing is written then); Conflict when the location already has a row.
  Task<StockItem> Create(const Context& ctx, CreateStock command);
  Task<StockItem> Change(const Context& ctx, ChangeQuantity command);

 private:
  Task<StockItem> PickRow(const Context& ctx, std::int64_t product_id,
                          const std::optional<std::string>& location);

  StockRepository& stock_;
  ProductCatalog& catalog_;
};

}  // namespace fo::inventory::app
