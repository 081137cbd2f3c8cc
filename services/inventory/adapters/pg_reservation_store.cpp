#include "services/inventory/adapters/pg_reservation_store.hpp"

#include "services/inventory/adapters/pg_reservation_moves.hpp"
#include "services/inventory/adapters/pg_statements.hpp"
#include "services/inventory/adapters/pg_stock_repository.hpp"

namespace fo::inventory::adapters {
namespace {

using app::HoldOutcome;
using app::Task;
using domain::ReservationState;

ReservationState StateOf(const pg::Row& row, int column) {
  return domain::ParseReservationState(row.String(column)).value_or(ReservationState::kRejected);
}

// The outcome of an earlier attempt with this id.
Task<HoldOutcome> Stored(pg::Tx& tx, const std::string& id) {
  auto found = co_await tx.Query(sql::kFindReservation, pg::Params(id));
  HoldOutcome out;
  out.replayed = true;
  out.state = StateOf(found[0], 0);
  out.items = found[0].String(1);
  out.expires_at = found[0].OptionalString(2).value_or("");
  out.past_expiry = found[0].Bool(3);
  if (out.state == ReservationState::kRejected) {
    auto shortages = co_await tx.Query(sql::kShortages, pg::Params(id));
    for (int i = 0; i < shortages.Rows(); ++i) {
      out.shortages.push_back(
          domain::Shortage{shortages[i].Int(0), shortages[i].Int(1), shortages[i].Int(2)});
    }
  }
  co_return out;
}

// After the lines were rolled back: what each requested product has now. A line that failed
// is reported even if a concurrent change has freed units since.
Task<std::vector<domain::Shortage>> Shortages(pg::Tx& tx, const app::HoldRequest& request,
                                              std::int64_t failed_product) {
  std::vector<std::int64_t> ids;
  for (const auto& line : request.lines) ids.push_back(line.product_id);
  auto available = AvailableByProduct(co_await tx.Query(sql::kAvailable, pg::Params(ids)));
  std::vector<domain::Shortage> shortages;
  for (const auto& line : request.lines) {
    const auto units = available.contains(line.product_id) ? available[line.product_id] : 0;
    if (units < line.quantity || line.product_id == failed_product) {
      shortages.push_back(domain::Shortage{line.product_id, line.quantity, units});
    }
  }
  co_return shortages;
}

Task<void> RecordRejection(pg::Tx& tx, const std::string& id,
                           const std::vector<domain::Shortage>& shortages) {
  std::vector<std::int64_t> products, requested, available;
  for (const auto& s : shortages) {
    products.push_back(s.product_id);
    requested.push_back(s.requested);
    available.push_back(s.available);
  }
  co_await tx.Query(sql::kRejectReservation, pg::Params(id));
  co_await tx.Query(sql::kInsertShortages, pg::Params(id, products, requested, available));
}

}  // namespace

Task<HoldOutcome> PgReservationStore::Hold(const Context& ctx, const app::HoldRequest& request) {
  co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<HoldOutcome> {
    const auto ttl = static_cast<std::int64_t>(request.ttl.count());
    auto inserted = co_await tx.Query(sql::kInsertReservation,
                                      pg::Params(request.reservation_id, request.items, ttl));
    if (inserted.Empty()) co_return co_await Stored(tx, request.reservation_id);

    // The lines run under a savepoint: a shortage undoes them all, and the rejection is recorded
    // in this same transaction, so a concurrent repeat (waiting on the row) sees it.
    co_await tx.Query("SAVEPOINT lines");
    std::int64_t failed_product = 0;
    for (const auto& line : request.lines) {
      auto taken = co_await tx.Query(
          sql::kReserveLine,
          pg::Params(request.reservation_id, line.product_id, line.quantity, domain::kRpcActor));
      if (taken.Empty()) {
        failed_product = line.product_id;
        break;
      }
    }
    HoldOutcome out;
    out.items = request.items;
    if (failed_product == 0) {
      out.state = ReservationState::kHeld;
      out.expires_at = inserted[0].String(0);
      co_return out;
    }
    co_await tx.Query("ROLLBACK TO SAVEPOINT lines");
    out.state = ReservationState::kRejected;
    out.shortages = co_await Shortages(tx, request, failed_product);
    co_await RecordRejection(tx, request.reservation_id, out.shortages);
    co_return out;
  });
}

Task<app::TransitionOutcome> PgReservationStore::Commit(const Context& ctx, const std::string& id) {
  co_return co_await Move(ctx, id, true);
}

Task<app::TransitionOutcome> PgReservationStore::Release(const Context& ctx,
                                                         const std::string& id) {
  co_return co_await Move(ctx, id, false);
}

Task<app::TransitionOutcome> PgReservationStore::Move(const Context& ctx, const std::string& id,
                                                      bool commit) {
  co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<app::TransitionOutcome> {
    app::TransitionOutcome out;
    auto locked = co_await tx.Query(sql::kLockReservation, pg::Params(id));
    if (locked.Empty()) co_return out;
    out.found = true;
    out.before = StateOf(locked[0], 0);
    const bool past_expiry = locked[0].Bool(1);
    out.decision = commit ? domain::DecideCommit(out.before, past_expiry)
                          : domain::DecideRelease(out.before, past_expiry);
    const std::vector<std::string> ids(1, id);
    switch (out.decision) {
      case domain::Transition::kApply:
        if (commit) {
          co_await CommitHold(tx, id, domain::kRpcActor);
        } else {
          co_await FreeHolds(tx, ids, "released", domain::kRpcActor);
        }
        break;
      case domain::Transition::kExpireThenFail:
        co_await FreeHolds(tx, ids, "expired", domain::kRpcActor);
        break;
      case domain::Transition::kAlreadyDone:
      case domain::Transition::kRefuse:
        break;
    }
    co_return out;
  });
}

Task<int> PgReservationStore::ExpireDue(const Context& ctx, int batch) {
  co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<int> {
    auto due = co_await tx.Query(sql::kLockDue, pg::Params(static_cast<std::int64_t>(batch)));
    std::vector<std::string> ids;
    ids.reserve(static_cast<std::size_t>(due.Rows()));
    for (int i = 0; i < due.Rows(); ++i) ids.push_back(due[i].String(0));
    if (!ids.empty()) co_await FreeHolds(tx, ids, "expired", domain::kSweeperActor);
    co_return static_cast<int>(ids.size());
  });
}

}  // namespace fo::inventory::adapters
