#include "services/inventory/adapters/inventory_events.hpp"

#include "events/v1/events.pb.h"
#include "platform/messaging/outbox.hpp"
#include "services/inventory/adapters/pg_statements.hpp"

namespace fo::inventory::adapters {

app::Task<std::vector<app::ProductLevel>> AnnounceLevels(pg::Tx& tx, const Context& ctx,
                                                         const std::vector<std::int64_t>& products,
                                                         std::string_view reason,
                                                         std::string_view reference) {
  std::vector<app::ProductLevel> levels;
  const auto rows = co_await tx.Query(sql::kProductLevels, pg::Params(products));
  for (int i = 0; i < rows.Rows(); ++i) {
    app::ProductLevel level;
    level.product_id = rows[i].Int(0);
    level.on_hand = rows[i].Int(1);
    level.reserved = rows[i].Int(2);
    levels.push_back(level);
    ::fo::events::v1::InventoryUpdated message;
    message.set_product_id(level.product_id);
    message.set_on_hand(level.on_hand);
    message.set_reserved(level.reserved);
    message.set_available(level.on_hand - level.reserved);
    message.set_reason(std::string(reason));
    message.set_reference(std::string(reference));
    message.set_occurred_at(rows[i].String(3));
    messaging::OutboxEvent updated;
    updated.topic = kInventoryEventsTopic;
    updated.key = std::to_string(level.product_id);
    updated.type = "fo.events.v1.InventoryUpdated";
    updated.payload = message.SerializeAsString();
    co_await messaging::Append(tx, ctx, std::move(updated));
  }
  co_return levels;
}

}  // namespace fo::inventory::adapters
