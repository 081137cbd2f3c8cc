#include "services/inventory/transport/json.hpp"

#include <boost/json/array.hpp>

namespace fo::inventory::transport {

boost::json::object ToJson(const app::StockItem& item) {
  return {{"id", item.id},
          {"product_id", item.product_id},
          {"location", item.location},
          {"on_hand", item.on_hand},
          {"reserved", item.reserved},
          {"available", item.Available()},
          {"quantity", item.on_hand},  // the seed API's name for on_hand, kept for its clients
          {"version", item.version},
          {"created_at", item.created_at},
          {"updated_at", item.updated_at}};
}

boost::json::object ToJson(const app::ProductStock& stock) {
  boost::json::array locations;
  for (const auto& item : stock.locations) locations.push_back(ToJson(item));
  return {{"product_id", stock.product_id},
          {"on_hand", stock.on_hand},
          {"reserved", stock.reserved},
          {"available", stock.available},
          {"locations", std::move(locations)}};
}

boost::json::object ToJson(const app::Availability& availability) {
  return {{"product_id", availability.product_id},
          {"available", availability.available},
          {"requested", availability.requested},
          {"in_stock", availability.in_stock}};
}

}  // namespace fo::inventory::transport
