#include "services/payment/app/payment_queries.hpp"

#include "platform/errors/error.hpp"
#include "platform/ids/uuid.hpp"

namespace fo::payment::app {
namespace {

void CheckId(const std::string& id) {
  if (!ids::IsUuid(id)) {
    throw InvalidArgument("the payment id must be a UUID", {{"id", "must be a UUID"}});
  }
}

}  // namespace

Task<Payment> PaymentQueries::Get(const Context& ctx, const Caller& caller, const std::string& id) {
  CheckId(id);
  auto found = co_await payments_.Find(ctx, id);
  if (!found || (!caller.admin && found->user_id != caller.user_id)) {
    throw NotFound("payment " + id + " does not exist");
  }
  co_return std::move(*found);
}

Task<PaymentPage> PaymentQueries::Mine(const Context& ctx, std::int64_t user_id, std::int64_t limit,
                                       std::int64_t offset) {
  PaymentFilter filter;
  filter.user_id = user_id;
  filter.limit = limit;
  filter.offset = offset;
  co_return co_await payments_.List(ctx, filter);
}

Task<PaymentPage> PaymentQueries::List(const Context& ctx, PaymentFilter filter) {
  co_return co_await payments_.List(ctx, filter);
}

Task<Payment> Refunds::Refund(const Context& ctx, const std::string& id) {
  CheckId(id);
  auto found = co_await payments_.Find(ctx, id);
  if (!found) throw NotFound("payment " + id + " does not exist");
  domain::CheckMove(found->status, Status::kRefunded);
  // Idempotent at the provider: a concurrent second refund gives nothing back twice, and the
  // state machine below lets only one of them record it.
  co_await provider_.Refund(ctx, id);
  Change change;
  change.to = Status::kRefunded;
  change.transaction_id = found->transaction_id;
  const Respond no_key = [](const Payment&) -> std::optional<StoredResponse> {
    return std::nullopt;
  };
  auto refunded = co_await payments_.Move(ctx, id, change, no_key);
  metrics_.Count(Status::kRefunded);
  co_return refunded;
}

}  // namespace fo::payment::app
