#include "services/inventory/adapters/pg_reservation_moves.hpp"

#include "services/inventory/adapters/pg_statements.hpp"

namespace fo::inventory::adapters {

app::Task<void> FreeHolds(pg::Tx& tx, const std::vector<std::string>& ids, std::string_view kind,
                          std::string_view actor) {
  co_await tx.Query(sql::kLockReservationStock, pg::Params(ids));
  for (const auto& id : ids) {
    co_await tx.Query(sql::kFreeLines, pg::Params(id, kind, actor));
    co_await tx.Query(sql::kSetReservationState, pg::Params(id, kind));
  }
}

app::Task<void> CommitHold(pg::Tx& tx, const std::string& id, std::string_view actor) {
  const std::vector<std::string> ids(1, id);
  co_await tx.Query(sql::kLockReservationStock, pg::Params(ids));
  co_await tx.Query(sql::kCommitLines, pg::Params(id, actor));
  co_await tx.Query(sql::kSetReservationState, pg::Params(id, "committed"));
}

app::Task<void> ReturnUnits(pg::Tx& tx, const std::string& id, std::string_view actor) {
  const std::vector<std::string> ids(1, id);
  co_await tx.Query(sql::kLockReservationStock, pg::Params(ids));
  co_await tx.Query(sql::kReturnLines, pg::Params(id, actor));
  co_await tx.Query(sql::kSetReservationState, pg::Params(id, "returned"));
}

}  // namespace fo::inventory::adapters
