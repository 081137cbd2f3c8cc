#pragma once
// JSON shapes of the inventory service's REST API.
#include <boost/json/object.hpp>

#include "services/inventory/app/stock_queries.hpp"

namespace fo::inventory::transport {

boost::json::object ToJson(const app::StockItem& item);
boost::json::object ToJson(const app::ProductStock& stock);
boost::json::object ToJson(const app::Availability& availability);

}  // namespace fo::inventory::transport
