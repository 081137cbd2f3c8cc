#pragma once
// The Kafka face of app::StockView: decodes InventoryUpdated CloudEvents from inventory.events
// and hands the stock reports to the use case.
#include <string_view>

#include "platform/kafka/consumer.hpp"
#include "services/product/app/stock_view.hpp"

namespace fo::product::transport {

inline constexpr std::string_view kInventoryEventsTopic = "inventory.events";

// A handler for kafka::Consumer. Other event types on the topic are skipped (newer producers
// may add some); a record that is not a CloudEvent, does not decode or can never apply (a
// negative stock, a bad time) is a kafka::PoisonMessage.
kafka::Handler InventoryEventsHandler(app::StockView& stock);

}  // namespace fo::product::transport
