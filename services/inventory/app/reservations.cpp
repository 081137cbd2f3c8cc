#include "services/inventory/app/reservations.hpp"

#include "platform/errors/error.hpp"

namespace fo::inventory::app {
namespace {

void CheckId(const std::string& id) {
  if (auto problem = domain::CheckReservationId(id)) {
    throw InvalidArgument(*problem, {{"reservation_id", *problem}});
  }
}

}  // namespace

Task<ReserveResult> Reservations::Hold(const Context& ctx, Reserve command) {
  CheckId(command.reservation_id);
  if (auto problem = domain::CheckLines(command.lines)) {
    throw InvalidArgument(*problem, {{"items", *problem}});
  }
  if (auto problem = domain::CheckTtl(command.ttl_seconds)) {
    throw InvalidArgument(*problem, {{"ttl_seconds", *problem}});
  }
  HoldRequest request;
  request.reservation_id = command.reservation_id;
  request.lines = domain::SortedLines(std::move(command.lines));
  request.items = domain::CanonicalItems(request.lines);
  request.ttl = domain::EffectiveTtl(command.ttl_seconds, default_ttl_);

  auto outcome = co_await store_.Hold(ctx, request);
  if (outcome.replayed && outcome.items != request.items) {
    throw PreconditionFailed("reservation " + request.reservation_id +
                             " was already made for different items");
  }
  ReserveResult result;
  result.reservation_id = request.reservation_id;
  result.state = outcome.state;
  result.expires_at = std::move(outcome.expires_at);
  result.shortages = std::move(outcome.shortages);
  result.replayed = outcome.replayed;
  // A lapsed hold the sweeper has not reached yet is already expired for the caller.
  if (outcome.past_expiry && result.state == ReservationState::kHeld) {
    result.state = ReservationState::kExpired;
  }
  if (outcome.replayed) {
    metrics_.Count("replayed", 1);
  } else {
    metrics_.Count(result.state == ReservationState::kHeld ? "held" : "rejected", 1);
  }
  co_return result;
}

Task<ReservationState> Reservations::Commit(const Context& ctx, const std::string& id) {
  co_return co_await Move(ctx, id, true);
}

Task<ReservationState> Reservations::Release(const Context& ctx, const std::string& id) {
  co_return co_await Move(ctx, id, false);
}

Task<ReservationState> Reservations::Move(const Context& ctx, const std::string& id, bool commit) {
  CheckId(id);
  TransitionOutcome outcome;
  if (commit) {
    outcome = co_await store_.Commit(ctx, id);
  } else {
    outcome = co_await store_.Release(ctx, id);
  }
  if (!outcome.found) throw NotFound("reservation " + id + " does not exist");
  const auto target = commit ? ReservationState::kCommitted : ReservationState::kReleased;
  switch (outcome.decision) {
    case domain::Transition::kApply:
      metrics_.Count(commit ? "committed" : "released", 1);
      co_return target;
    case domain::Transition::kAlreadyDone:
      co_return target;
    case domain::Transition::kExpireThenFail:
      metrics_.Count("expired", 1);
      throw PreconditionFailed("reservation " + id + " expired");
    case domain::Transition::kRefuse:
      break;
  }
  throw PreconditionFailed("reservation " + id + " is " +
                           std::string(domain::ToString(outcome.before)) + ", it cannot be " +
                           (commit ? "committed" : "released"));
}

}  // namespace fo::inventory::app
