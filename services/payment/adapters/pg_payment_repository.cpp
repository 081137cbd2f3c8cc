#include "services/payment/adapters/pg_payment_repository.hpp"

#include "events/v1/events.pb.h"
#include "platform/errors/error.hpp"
#include "platform/messaging/outbox.hpp"
#include "services/payment/adapters/pg_statements.hpp"

namespace fo::payment::adapters {
namespace {

using app::Payment;
using app::Task;
using domain::Status;

Payment RowToPayment(const pg::Row& row) {
  Payment p;
  p.id = row.String(0);
  p.user_id = row.Int(1);
  p.product_id = row.Int(2);
  p.quantity = row.Int(3);
  p.amount = row.Int(4);
  p.currency = row.String(5);
  p.status = domain::ParseStatus(row.String(6)).value_or(Status::kPending);
  p.payment_method = row.String(7);
  p.transaction_id = row.OptionalString(8);
  p.failure_reason = row.OptionalString(9);
  p.created_at = row.String(10);
  p.updated_at = row.String(11);
  return p;
}

// Applies `change` to the locked `current` row, writes its event and settles its key.
Task<Payment> Apply(pg::Tx& tx, const Context& ctx, const Payment& current,
                    const app::Change& change, const app::Respond& respond) {
  domain::CheckMove(current.status, change.to);
  auto updated = co_await tx.Query(
      sql::kUpdateStatus, pg::Params(current.id, domain::ToString(change.to), change.transaction_id,
                                     change.failure_reason));
  auto payment = RowToPayment(updated[0]);
  auto event = EventOf(payment);
  messaging::OutboxEvent outbox;
  outbox.topic = kPaymentTopic;
  outbox.key = payment.id;
  outbox.type = std::move(event.type);
  outbox.payload = std::move(event.payload);
  co_await messaging::Append(tx, ctx, std::move(outbox));
  const auto response = respond(payment);
  if (response) {
    const auto status = static_cast<std::int64_t>(response->status);
    co_await tx.Query(sql::kFinishKeysOf, pg::Params(payment.id, status, response->body));
  } else {
    co_await tx.Query(sql::kDeleteKeysOf, pg::Params(payment.id));
  }
  co_return payment;
}

}  // namespace

PaymentEvent EventOf(const Payment& p) {
  const auto quantity = static_cast<std::int32_t>(p.quantity);
  PaymentEvent out;
  switch (p.status) {
    case Status::kCompleted: {
      fo::events::v1::ProductPurchased e;
      e.set_payment_id(p.id);
      e.set_user_id(p.user_id);
      e.set_product_id(p.product_id);
      e.set_quantity(quantity);
      e.set_amount(p.amount);
      e.set_currency(p.currency);
      e.set_transaction_id(p.transaction_id.value_or(""));
      e.set_occurred_at(p.updated_at);
      out.type = "fo.events.v1.ProductPurchased";
      out.payload = e.SerializeAsString();
      break;
    }
    case Status::kRefunded: {
      fo::events::v1::PaymentRefunded e;
      e.set_payment_id(p.id);
      e.set_user_id(p.user_id);
      e.set_product_id(p.product_id);
      e.set_quantity(quantity);
      e.set_amount(p.amount);
      e.set_currency(p.currency);
      e.set_occurred_at(p.updated_at);
      out.type = "fo.events.v1.PaymentRefunded";
      out.payload = e.SerializeAsString();
      break;
    }
    case Status::kFailed:
    case Status::kPending: {
      fo::events::v1::PaymentFailed e;
      e.set_payment_id(p.id);
      e.set_user_id(p.user_id);
      e.set_product_id(p.product_id);
      e.set_quantity(quantity);
      e.set_reason(p.failure_reason.value_or(""));
      e.set_occurred_at(p.updated_at);
      out.type = "fo.events.v1.PaymentFailed";
      out.payload = e.SerializeAsString();
      break;
    }
  }
  return out;
}

Task<app::Claim> PgPaymentRepository::ClaimKey(const Context& ctx, const app::KeyRef& key,
                                               const std::string& request_hash) {
  // A key deleted between our INSERT and SELECT (its attempt gave up) is claimed again.
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto claimed =
        co_await pool_.Query(ctx, sql::kClaimKey, pg::Params(key.user_id, key.key, request_hash));
    app::Claim claim;
    if (!claimed.Empty()) co_return claim;
    auto found = co_await pool_.Query(ctx, sql::kFindKey, pg::Params(key.user_id, key.key));
    if (found.Empty()) continue;
    const auto row = found[0];
    if (row.String(0) != request_hash) {
      claim.kind = app::ClaimKind::kMismatch;
    } else if (row.String(1) == "done") {
      claim.kind = app::ClaimKind::kReplay;
      claim.response.status = static_cast<int>(row.Int(2));
      claim.response.body = row.String(3);
    } else {
      claim.kind = app::ClaimKind::kInFlight;
    }
    co_return claim;
  }
  throw Conflict("this Idempotency-Key is changing hands; retry later");
}

Task<void> PgPaymentRepository::FinishKey(const Context& ctx, const app::KeyRef& key,
                                          const app::StoredResponse& response) {
  const auto status = static_cast<std::int64_t>(response.status);
  co_await pool_.Query(ctx, sql::kFinishKey,
                       pg::Params(key.user_id, key.key, status, response.body));
}

Task<void> PgPaymentRepository::DeleteKey(const Context& ctx, const app::KeyRef& key) {
  co_await pool_.Query(ctx, sql::kDeleteKey, pg::Params(key.user_id, key.key));
}

Task<Payment> PgPaymentRepository::InsertPending(const Context& ctx, const Payment& payment,
                                                 const app::KeyRef& key) {
  co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<Payment> {
    auto inserted = co_await tx.Query(
        sql::kInsertPayment,
        pg::Params(payment.id, payment.user_id, payment.product_id, payment.quantity,
                   payment.amount, payment.currency, payment.payment_method));
    auto linked = co_await tx.Query(sql::kLinkKey, pg::Params(key.user_id, key.key, payment.id));
    if (linked.Empty()) throw Conflict("the Idempotency-Key was given up while in flight");
    co_return RowToPayment(inserted[0]);
  });
}

Task<Payment> PgPaymentRepository::Move(const Context& ctx, const std::string& payment_id,
                                        const app::Change& change, const app::Respond& respond) {
  co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<Payment> {
    auto locked = co_await tx.Query(sql::kLockPayment, pg::Params(payment_id));
    if (locked.Empty()) throw NotFound("payment " + payment_id + " does not exist");
    const auto current = RowToPayment(locked[0]);
    co_return co_await Apply(tx, ctx, current, change, respond);
  });
}

Task<bool> PgPaymentRepository::SettleStale(const Context& ctx, std::chrono::seconds older_than,
                                            const app::Decide& decide,
                                            const app::Respond& respond) {
  co_return co_await pool_.Transaction(ctx, [&](pg::Tx& tx) -> Task<bool> {
    auto locked = co_await tx.Query(sql::kLockStale,
                                    pg::Params(static_cast<std::int64_t>(older_than.count())));
    if (locked.Empty()) co_return false;
    const auto current = RowToPayment(locked[0]);
    const auto change = co_await decide(current);
    co_await Apply(tx, ctx, current, change, respond);
    co_return true;
  });
}

Task<std::int64_t> PgPaymentRepository::DropAbandonedKeys(const Context& ctx,
                                                          std::chrono::seconds older_than) {
  auto result = co_await pool_.Query(ctx, sql::kDropAbandonedKeys,
                                     pg::Params(static_cast<std::int64_t>(older_than.count())));
  co_return result.AffectedRows();
}

Task<std::int64_t> PgPaymentRepository::PurgeKeys(const Context& ctx,
                                                  std::chrono::hours older_than) {
  auto result = co_await pool_.Query(ctx, sql::kPurgeKeys,
                                     pg::Params(static_cast<std::int64_t>(older_than.count())));
  co_return result.AffectedRows();
}

Task<std::optional<Payment>> PgPaymentRepository::Find(const Context& ctx, const std::string& id) {
  auto result = co_await pool_.Query(ctx, sql::kFindPayment, pg::Params(id));
  if (result.Empty()) co_return std::nullopt;
  co_return RowToPayment(result[0]);
}

Task<app::PaymentPage> PgPaymentRepository::List(const Context& ctx,
                                                 const app::PaymentFilter& filter) {
  std::optional<std::string> status;
  if (filter.status) status = std::string(domain::ToString(*filter.status));
  auto rows = co_await pool_.Query(ctx, sql::kListPayments,
                                   pg::Params(status, filter.user_id, filter.limit, filter.offset));
  auto count = co_await pool_.Query(ctx, sql::kCountPayments, pg::Params(status, filter.user_id));
  app::PaymentPage page;
  page.items.reserve(static_cast<std::size_t>(rows.Rows()));
  for (int i = 0; i < rows.Rows(); ++i) page.items.push_back(RowToPayment(rows[i]));
  page.total = count[0].Int(0);
  co_return page;
}

}  // namespace fo::payment::adapters
