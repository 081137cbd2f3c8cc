#include "services/payment/app/purchases.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>

#include "platform/errors/error.hpp"
#include "platform/ids/uuid.hpp"
#include "platform/telemetry/log/log.hpp"

namespace fo::payment::app {
namespace {

using namespace boost::asio::experimental::awaitable_operators;
using Clock = std::chrono::steady_clock;
constexpr std::chrono::seconds kFinishFloor{5};

std::string_view OutcomeOf(int status) {
  switch (status) {
    case 201:
      return "completed";
    case 402:
      return "declined";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 409:
      return "out_of_stock";
    default:
      return "unprocessable";
  }
}

}  // namespace

Context AtLeast(const Context& ctx, std::chrono::milliseconds floor) {
  Context out = ctx;
  out.deadline = std::max(ctx.deadline, Clock::now() + floor);
  return out;
}

Task<void> ReleaseQuietly(Inventory& inventory, const Context& ctx, const std::string& id) {
  try {
    co_await inventory.Release(ctx, id);
  } catch (const std::exception& e) {
    log::Warn("reservation release failed; the hold will expire",
              {{"reservation_id", std::string_view(id)}, {"error", std::string_view(e.what())}});
  }
}

Task<PurchaseResult> Purchases::Execute(const Context& ctx, PurchaseCommand command) {
  const auto started = Clock::now();
  const KeyRef key{command.user_id, command.idempotency_key};
  const auto hash = domain::RequestHash(command.request);
  auto claim = co_await deps_.payments.ClaimKey(ctx, key, hash);
  switch (claim.kind) {
    case ClaimKind::kReplay: {
      deps_.metrics.SagaFinished("replayed", Clock::now() - started);
      PurchaseResult replay;
      replay.response = std::move(claim.response);
      replay.replayed = true;
      co_return replay;
    }
    case ClaimKind::kMismatch:
      throw Unprocessable("this Idempotency-Key was already used for a different request");
    case ClaimKind::kInFlight:
      throw Conflict("a request with this Idempotency-Key is still in progress; retry later");
    case ClaimKind::kClaimed:
      break;
  }

  Progress progress;
  std::exception_ptr failure;
  PurchaseResult result;
  try {
    result.response = co_await Run(ctx, command, key, progress);
  } catch (...) {
    failure = std::current_exception();
  }
  if (!failure) {
    deps_.metrics.SagaFinished(OutcomeOf(result.response.status), Clock::now() - started);
    co_return result;
  }
  co_await Abandon(key, progress);
  deps_.metrics.SagaFinished("unavailable", Clock::now() - started);
  std::string reason = "a dependency failed";
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    reason = e.what();
  } catch (...) {
  }
  log::Warn("purchase abandoned", {{"error", std::string_view(reason)}});
  throw Unavailable(
      "the purchase could not be completed right now and nothing was kept; retry with the same "
      "Idempotency-Key");
}

Task<StoredResponse> Purchases::Run(const Context& ctx, const PurchaseCommand& command,
                                    const KeyRef& key, Progress& progress) {
  const auto& request = command.request;
  auto checks = co_await (deps_.users.Validate(ctx, command.user_id) &&
                          deps_.catalog.Find(ctx, request.product_id));
  const UserStatus user = std::get<0>(checks);
  const std::optional<Product> product = std::move(std::get<1>(checks));
  const auto& r = deps_.responses;
  if (!user.exists || !user.active) {
    co_return co_await Refuse(ctx, key, r.Problem(ctx, 403, "this account may not make purchases"));
  }
  if (!product) {
    co_return co_await Refuse(
        ctx, key,
        r.Problem(ctx, 404, "product " + std::to_string(request.product_id) + " does not exist"));
  }
  if (!product->active) {
    co_return co_await Refuse(ctx, key, r.Problem(ctx, 422, "this product is not for sale"));
  }
  if (request.currency && *request.currency != product->currency) {
    co_return co_await Refuse(
        ctx, key,
        r.Problem(ctx, 422,
                  "this product is sold in " + product->currency + ", not " + *request.currency));
  }
  const auto amount = domain::AmountOf(product->price, request.quantity);
  if (!amount)
    co_return co_await Refuse(ctx, key, r.Problem(ctx, 422, "the amount is out of range"));

  Payment payment;
  payment.id = ids::NewUuidV7();
  payment.user_id = command.user_id;
  payment.product_id = request.product_id;
  payment.quantity = request.quantity;
  payment.amount = *amount;
  payment.currency = product->currency;
  payment.status = Status::kPending;
  payment.payment_method = request.payment_method;
  co_await deps_.payments.InsertPending(ctx, payment, key);
  progress.payment_id = payment.id;
  deps_.metrics.Count(Status::kPending);

  const auto hold = co_await deps_.inventory.Reserve(ctx, payment.id, payment.product_id,
                                                     payment.quantity, reservation_ttl_);
  if (hold.state == HoldState::kRejected) {
    Change change;
    change.failure_reason = std::string(domain::kOutOfStock);
    auto problem = r.Problem(ctx, 409, "not enough stock for this purchase", hold.available);
    co_return co_await Settle(ctx, payment.id, std::move(change), std::move(problem));
  }
  if (hold.state != HoldState::kHeld) throw Unavailable("the inventory did not hold the stock");
  progress.held = true;

  ChargeRequest charge_request;
  charge_request.payment_id = payment.id;
  charge_request.amount = payment.amount;
  charge_request.currency = payment.currency;
  charge_request.payment_method = payment.payment_method;
  progress.charge_attempted = true;
  const auto charge = co_await deps_.provider.Charge(ctx, charge_request);
  // From here on the outcome is decided: record it even if the client's deadline has passed.
  const auto finish = AtLeast(ctx, kFinishFloor);
  if (charge.status != ChargeStatus::kCharged) {
    co_await ReleaseQuietly(deps_.inventory, finish, payment.id);
    progress.held = false;
    Change change;
    change.failure_reason = std::string(domain::kDeclined);
    auto problem = r.Problem(ctx, 402, "the payment was declined");
    co_return co_await Settle(finish, payment.id, std::move(change), std::move(problem));
  }
  Change change;
  change.to = Status::kCompleted;
  change.transaction_id = charge.transaction_id;
  co_return co_await Settle(finish, payment.id, std::move(change), std::nullopt);
}

Task<StoredResponse> Purchases::Refuse(const Context& ctx, const KeyRef& key,
                                       StoredResponse response) {
  co_await deps_.payments.FinishKey(ctx, key, response);
  co_return response;
}

Task<StoredResponse> Purchases::Settle(const Context& ctx, const std::string& payment_id,
                                       Change change, std::optional<StoredResponse> response) {
  StoredResponse stored;
  const Respond respond = [&](const Payment& payment) -> std::optional<StoredResponse> {
    stored = response ? *response : deps_.responses.Created(payment);
    return stored;
  };
  co_await deps_.payments.Move(ctx, payment_id, change, respond);
  deps_.metrics.Count(change.to);
  co_return stored;
}

Task<void> Purchases::Abandon(const KeyRef& key, const Progress& progress) {
  Context ctx;
  ctx.deadline = Clock::now() + kFinishFloor;
  if (!progress.payment_id) {
    try {
      co_await deps_.payments.DeleteKey(ctx, key);
    } catch (const std::exception& e) {  // the recovery job drops it later
      log::Warn("idempotency key not freed", {{"error", std::string_view(e.what())}});
    }
    co_return;
  }
  const auto& id = *progress.payment_id;
  try {
    // A completion whose answer was lost may have committed after all (or the recovery job
    // completed it): then nothing is undone and the key holds the 201 for the client's retry.
    auto current = co_await deps_.payments.Find(ctx, id);
    const bool settled = current && current->status != Status::kPending;
    if (settled && current->status != Status::kFailed) co_return;
    // Failed by the recovery job while this saga was still charging: the charge goes back.
    if (progress.charge_attempted) {
      try {
        co_await deps_.provider.Refund(ctx, id);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::kConflict) throw;  // Conflict: nothing was charged
      }
    }
    if (progress.held) co_await ReleaseQuietly(deps_.inventory, ctx, id);
    if (settled) co_return;
    Change change;
    change.failure_reason = std::string(domain::kDependencyUnavailable);
    const Respond free_key = [](const Payment&) -> std::optional<StoredResponse> {
      return std::nullopt;
    };
    co_await deps_.payments.Move(ctx, id, change, free_key);
    deps_.metrics.Count(Status::kFailed);
  } catch (const std::exception& e) {
    // The payment stays pending; the recovery job settles it from the provider's ledger.
    log::Warn("purchase compensation incomplete; recovery will settle it",
              {{"payment_id", std::string_view(id)}, {"error", std::string_view(e.what())}});
  }
}

}  // namespace fo::payment::app
