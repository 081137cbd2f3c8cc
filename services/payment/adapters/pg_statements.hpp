#pragma once
// Every SQL statement of the payment service, prepared once per connection.
#include "platform/pg/types.hpp"

namespace fo::payment::adapters::sql {

#define FO_UTC(column) "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

// Columns of domain::Payment, in the order RowToPayment reads them.
#define FO_PAYMENT_COLUMNS                                                              \
  "id::text, user_id, product_id, quantity, amount, currency, status, payment_method, " \
  "transaction_id, failure_reason, " FO_UTC("created_at") ", " FO_UTC("updated_at")

inline constexpr pg::Statement kClaimKey{
    "key_claim",
    "INSERT INTO idempotency_keys (user_id, key, request_hash, state) "
    "VALUES ($1, $2, $3, 'in_flight') ON CONFLICT (user_id, key) DO NOTHING RETURNING 1",
    "INSERT", "idempotency_keys"};

inline constexpr pg::Statement kFindKey{
    "key_find",
    "SELECT request_hash, state, response_status, response_body FROM idempotency_keys "
    "WHERE user_id = $1 AND key = $2",
    "SELECT", "idempotency_keys"};

inline constexpr pg::Statement kFinishKey{
    "key_finish",
    "UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4 "
    "WHERE user_id = $1 AND key = $2 AND state = 'in_flight'",
    "UPDATE", "idempotency_keys"};

inline constexpr pg::Statement kDeleteKey{
    "key_delete",
    "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND state = 'in_flight'",
    "DELETE", "idempotency_keys"};

inline constexpr pg::Statement kLinkKey{
    "key_link",
    "UPDATE idempotency_keys SET payment_id = $3 "
    "WHERE user_id = $1 AND key = $2 AND state = 'in_flight' AND payment_id IS NULL RETURNING 1",
    "UPDATE", "idempotency_keys"};

inline constexpr pg::Statement kFinishKeysOf{
    "key_finish_of",
    "UPDATE idempotency_keys SET state = 'done', response_status = $2, response_body = $3 "
    "WHERE payment_id = $1 AND state = 'in_flight'",
    "UPDATE", "idempotency_keys"};

inline constexpr pg::Statement kDeleteKeysOf{
    "key_delete_of", "DELETE FROM idempotency_keys WHERE payment_id = $1 AND state = 'in_flight'",
    "DELETE", "idempotency_keys"};

inline constexpr pg::Statement kDropAbandonedKeys{
    "key_drop_abandoned",
    "DELETE FROM idempotency_keys WHERE state = 'in_flight' AND payment_id IS NULL "
    "AND created_at < now() - make_interval(secs => $1)",
    "DELETE", "idempotency_keys"};

inline constexpr pg::Statement kPurgeKeys{
    "key_purge",
    "DELETE FROM idempotency_keys WHERE state = 'done' "
    "AND created_at < now() - make_interval(hours => $1::int)",
    "DELETE", "idempotency_keys"};

inline constexpr pg::Statement kInsertPayment{
    "payment_insert",
    "INSERT INTO payments (id, user_id, product_id, quantity, amount, currency, status, "
    "payment_method) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7) RETURNING " FO_PAYMENT_COLUMNS,
    "INSERT", "payments"};

inline constexpr pg::Statement kFindPayment{
    "payment_find", "SELECT " FO_PAYMENT_COLUMNS " FROM payments WHERE id = $1", "SELECT",
    "payments"};

inline constexpr pg::Statement kLockPayment{
    "payment_lock", "SELECT " FO_PAYMENT_COLUMNS " FROM payments WHERE id = $1 FOR UPDATE",
    "SELECT", "payments"};

inline constexpr pg::Statement kLockStale{"payment_lock_stale",
                                          "SELECT " FO_PAYMENT_COLUMNS
                                          " FROM payments WHERE status = 'pending' "
                                          "AND created_at < now() - make_interval(secs => $1) "
                                          "ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED",
                                          "SELECT", "payments"};

inline constexpr pg::Statement kUpdateStatus{
    "payment_update_status",
    "UPDATE payments SET status = $2, transaction_id = coalesce($3, transaction_id), "
    "failure_reason = coalesce($4, failure_reason), updated_at = now() "
    "WHERE id = $1 RETURNING " FO_PAYMENT_COLUMNS,
    "UPDATE", "payments"};

// Filters are optional: a NULL parameter matches every row.
inline constexpr pg::Statement kListPayments{
    "payment_list",
    "SELECT " FO_PAYMENT_COLUMNS
    " FROM payments "
    "WHERE ($1::text IS NULL OR status = $1) AND ($2::bigint IS NULL OR user_id = $2) "
    "ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4",
    "SELECT", "payments"};

inline constexpr pg::Statement kCountPayments{
    "payment_count",
    "SELECT count(*) FROM payments "
    "WHERE ($1::text IS NULL OR status = $1) AND ($2::bigint IS NULL OR user_id = $2)",
    "SELECT", "payments"};

inline constexpr pg::Statement kFindCharge{
    "charge_find", "SELECT status, transaction_id FROM provider_charges WHERE payment_id = $1",
    "SELECT", "provider_charges"};

inline constexpr pg::Statement kInsertCharge{
    "charge_insert",
    "INSERT INTO provider_charges (payment_id, transaction_id, amount, currency, payment_method, "
    "status) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (payment_id) DO NOTHING "
    "RETURNING status, transaction_id",
    "INSERT", "provider_charges"};

inline constexpr pg::Statement kRefundCharge{
    "charge_refund",
    "UPDATE provider_charges SET status = 'refunded', "
    "refunded_at = coalesce(refunded_at, now()) "
    "WHERE payment_id = $1 AND status IN ('charged', 'refunded') RETURNING 1",
    "UPDATE", "provider_charges"};

#undef FO_PAYMENT_COLUMNS
#undef FO_UTC

}  // namespace fo::payment::adapters::sql
