#pragma once
// The unit movements of a reservation, inside the caller's transaction (the reservation row is
// locked by the caller). Shared by the gRPC protocol and the payment-event settlement.
#include <string>
#include <string_view>
#include <vector>

#include "platform/pg/pool.hpp"
#include "services/inventory/app/ports.hpp"

namespace fo::inventory::adapters {

// Frees the held units of `ids` and sets their state to `kind` (released or expired). Stock rows
// are locked first, all at once and in the one global order, so this cannot deadlock with
// Reserve or another sweeper.
app::Task<void> FreeHolds(pg::Tx& tx, const std::vector<std::string>& ids, std::string_view kind,
                          std::string_view actor);
// The held units leave the building: on_hand and reserved both drop; state committed.
app::Task<void> CommitHold(pg::Tx& tx, const std::string& id, std::string_view actor);
// A refund: the committed units go back on hand; state returned.
app::Task<void> ReturnUnits(pg::Tx& tx, const std::string& id, std::string_view actor);

}  // namespace fo::inventory::adapters
