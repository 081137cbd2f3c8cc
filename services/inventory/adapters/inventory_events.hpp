#pragma once
// InventoryUpdated events, written to the outbox inside the transaction that changed the stock,
// so the product service's stock view follows every change (and only real ones).
#include <cstdint>
#include <string_view>
#include <vector>

#include "platform/pg/pool.hpp"
#include "services/inventory/app/ports.hpp"

namespace fo::inventory::adapters {

inline constexpr std::string_view kInventoryEventsTopic = "inventory.events";

// Reads the products' levels now (summed over locations) and appends one InventoryUpdated per
// product; returns the levels.
app::Task<std::vector<app::ProductLevel>> AnnounceLevels(pg::Tx& tx, const Context& ctx,
                                                         const std::vector<std::int64_t>& products,
                                                         std::string_view reason,
                                                         std::string_view reference);

}  // namespace fo::inventory::adapters
