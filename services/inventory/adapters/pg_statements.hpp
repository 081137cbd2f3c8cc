#pragma once
// Every SQL statement of the inventory service, prepared once per connection. Stock changes are
// single conditional UPDATEs that write their movement row in the same statement.
#include "platform/pg/types.hpp"

namespace fo::inventory::adapters::sql {

#define FO_UTC(column) "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

// Columns of domain::StockItem, in the order RowToStock reads them.
#define FO_STOCK_COLUMNS                                                                     \
  "id, product_id, location, on_hand, reserved, version, " FO_UTC("created_at") ", " FO_UTC( \
      "updated_at")

#define FO_MOVEMENT_INSERT                                                             \
  "INSERT INTO inventory_movements (stock_item_id, product_id, reservation_id, kind, " \
  "delta_on_hand, delta_reserved, on_hand_after, reserved_after, actor, reason) "

inline constexpr pg::Statement kInsertStock{
    "stock_insert",
    "WITH s AS (INSERT INTO stock_items (product_id, location, on_hand) VALUES ($1, $2, $3) "
    "RETURNING *), "
    "m AS (" FO_MOVEMENT_INSERT
    "SELECT id, product_id, NULL, 'created', on_hand, 0, on_hand, 0, $4, '' FROM s) "
    "SELECT " FO_STOCK_COLUMNS " FROM s",
    "INSERT", "stock_items"};

inline constexpr pg::Statement kFindStock{
    "stock_find", "SELECT " FO_STOCK_COLUMNS " FROM stock_items WHERE id = $1", "SELECT",
    "stock_items"};

inline constexpr pg::Statement kListStock{
    "stock_list", "SELECT " FO_STOCK_COLUMNS " FROM stock_items ORDER BY id LIMIT $1 OFFSET $2",
    "SELECT", "stock_items"};

inline constexpr pg::Statement kCountStock{"stock_count", "SELECT count(*) FROM stock_items",
                                           "SELECT", "stock_items"};

inline constexpr pg::Statement kStockOfProduct{
    "stock_of_product",
    "SELECT " FO_STOCK_COLUMNS " FROM stock_items WHERE product_id = $1 ORDER BY location",
    "SELECT", "stock_items"};

inline constexpr pg::Statement kAvailable{
    "stock_available",
    "SELECT product_id, sum(on_hand - reserved)::bigint FROM stock_items "
    "WHERE product_id = ANY($1::bigint[]) GROUP BY product_id",
    "SELECT", "stock_items"};

// Absolute: only at the version the caller read, and never below what is reserved. The self
// join yields the previous on_hand (the row is at version $2 when the update happens) for the
// movement's delta.
inline constexpr pg::Statement kSetOnHand{
    "stock_set",
    "WITH u AS (UPDATE stock_items s SET on_hand = $3, version = s.version + 1, "
    "updated_at = now() FROM stock_items o "
    "WHERE s.id = $1 AND o.id = s.id AND s.version = $2 AND $3 >= s.reserved "
    "RETURNING s.*, s.on_hand - o.on_hand AS delta), "
    "m AS (" FO_MOVEMENT_INSERT
    "SELECT id, product_id, NULL, 'set', delta, 0, on_hand, reserved, $4, $5 FROM u) "
    "SELECT " FO_STOCK_COLUMNS " FROM u",
    "UPDATE", "stock_items"};

// Relative: one atomic statement, so concurrent deltas all count.
inline constexpr pg::Statement kAdjustOnHand{
    "stock_adjust",
    "WITH u AS (UPDATE stock_items SET on_hand = on_hand + $2, version = version + 1, "
    "updated_at = now() WHERE id = $1 AND on_hand + $2 >= reserved RETURNING *), "
    "m AS (" FO_MOVEMENT_INSERT
    "SELECT id, product_id, NULL, 'adjusted', $2, 0, on_hand, reserved, $3, $4 FROM u) "
    "SELECT " FO_STOCK_COLUMNS " FROM u",
    "UPDATE", "stock_items"};

// A new reservation; a known id inserts nothing (and waits for a concurrent first attempt).
inline constexpr pg::Statement kInsertReservation{
    "reservation_insert",
    "INSERT INTO reservations (id, state, items, expires_at) "
    "VALUES ($1, 'held', $2, now() + make_interval(secs => $3)) "
    "ON CONFLICT (id) DO NOTHING RETURNING " FO_UTC("expires_at"),
    "INSERT", "reservations"};

inline constexpr pg::Statement kFindReservation{
    "reservation_find",
    "SELECT state, items, " FO_UTC("expires_at") ", COALESCE(expires_at <= now(), false) "
    "FROM reservations WHERE id = $1",
    "SELECT", "reservations"};

inline constexpr pg::Statement kShortages{
    "reservation_shortages",
    "SELECT product_id, requested, available FROM reservation_shortages "
    "WHERE reservation_id = $1 ORDER BY product_id",
    "SELECT", "reservation_shortages"};

// One line: the units come from one location that has enough available, taken by a single
// conditional UPDATE (so no concurrency can oversell), with its line and movement rows.
inline constexpr pg::Statement kReserveLine{
    "reservation_line",
    "WITH u AS (UPDATE stock_items SET reserved = reserved + $3, version = version + 1, "
    "updated_at = now() WHERE id = (SELECT id FROM stock_items WHERE product_id = $2 "
    "AND on_hand - reserved >= $3 ORDER BY location LIMIT 1 FOR UPDATE) "
    "AND on_hand - reserved >= $3 RETURNING id, product_id, on_hand, reserved), "
    "l AS (INSERT INTO reservation_lines (reservation_id, stock_item_id, product_id, quantity) "
    "SELECT $1::text, id, product_id, $3 FROM u), "
    "m AS (" FO_MOVEMENT_INSERT
    "SELECT id, product_id, $1::text, 'reserved', 0, $3, on_hand, reserved, $4::text, '' FROM u) "
    "SELECT id FROM u",
    "UPDATE", "stock_items"};

inline constexpr pg::Statement kRejectReservation{
    "reservation_reject",
    "UPDATE reservations SET state = 'rejected', expires_at = NULL, updated_at = now() "
    "WHERE id = $1",
    "UPDATE", "reservations"};

inline constexpr pg::Statement kInsertShortages{
    "reservation_shortages_insert",
    "INSERT INTO reservation_shortages (reservation_id, product_id, requested, available) "
    "SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[])",
    "INSERT", "reservation_shortages"};

inline constexpr pg::Statement kLockReservation{
    "reservation_lock",
    "SELECT state, COALESCE(expires_at <= now(), false) FROM reservations WHERE id = $1 "
    "FOR UPDATE",
    "SELECT", "reservations"};

// Stock rows are always locked by product, then id: the order Reserve takes them in.
inline constexpr pg::Statement kLockReservationStock{
    "reservation_lock_stock",
    "SELECT s.id FROM stock_items s WHERE s.id IN (SELECT stock_item_id FROM reservation_lines "
    "WHERE reservation_id = ANY($1::text[])) ORDER BY s.product_id, s.id FOR UPDATE",
    "SELECT", "stock_items"};

// Commit: the held units leave the building (on_hand and reserved both drop).
inline constexpr pg::Statement kCommitLines{
    "reservation_commit_lines",
    "WITH l AS (SELECT stock_item_id, quantity FROM reservation_lines WHERE reservation_id = $1), "
    "u AS (UPDATE stock_items s SET on_hand = s.on_hand - l.quantity, "
    "reserved = s.reserved - l.quantity, version = s.version + 1, updated_at = now() FROM l "
    "WHERE s.id = l.stock_item_id RETURNING s.id, s.product_id, l.quantity, s.on_hand, "
    "s.reserved) " FO_MOVEMENT_INSERT
    "SELECT id, product_id, $1, 'committed', -quantity, -quantity, on_hand, reserved, $2, '' "
    "FROM u",
    "UPDATE", "stock_items"};

// Release or expiry ($2): the held units become available again.
inline constexpr pg::Statement kFreeLines{
    "reservation_free_lines",
    "WITH l AS (SELECT stock_item_id, quantity FROM reservation_lines WHERE reservation_id = $1), "
    "u AS (UPDATE stock_items s SET reserved = s.reserved - l.quantity, "
    "version = s.version + 1, updated_at = now() FROM l "
    "WHERE s.id = l.stock_item_id RETURNING s.id, s.product_id, l.quantity, s.on_hand, "
    "s.reserved) " FO_MOVEMENT_INSERT
    "SELECT id, product_id, $1, $2::text, 0, -quantity, on_hand, reserved, $3, '' FROM u",
    "UPDATE", "stock_items"};

// Return (a refund): the committed units go back on hand.
inline constexpr pg::Statement kReturnLines{
    "reservation_return_lines",
    "WITH l AS (SELECT stock_item_id, quantity FROM reservation_lines WHERE reservation_id = $1), "
    "u AS (UPDATE stock_items s SET on_hand = s.on_hand + l.quantity, version = s.version + 1, "
    "updated_at = now() FROM l WHERE s.id = l.stock_item_id "
    "RETURNING s.id, s.product_id, l.quantity, s.on_hand, s.reserved) " FO_MOVEMENT_INSERT
    "SELECT id, product_id, $1, 'returned', quantity, 0, on_hand, reserved, $2, 'refund' FROM u",
    "UPDATE", "stock_items"};

// The products a reservation touches.
inline constexpr pg::Statement kReservationProducts{
    "reservation_products",
    "SELECT product_id FROM reservation_lines WHERE reservation_id = $1 ORDER BY product_id",
    "SELECT", "reservation_lines"};

// Levels per product now, summed over locations (for InventoryUpdated), and the time.
inline constexpr pg::Statement kProductLevels{
    "product_levels",
    "SELECT product_id, sum(on_hand)::bigint, sum(reserved)::bigint, " FO_UTC("now()")
    " FROM stock_items WHERE product_id = ANY($1::bigint[]) GROUP BY product_id "
    "ORDER BY product_id",
    "SELECT", "stock_items"};

inline constexpr pg::Statement kSetReservationState{
    "reservation_set_state", "UPDATE reservations SET state = $2, updated_at = now() WHERE id = $1",
    "UPDATE", "reservations"};

// The sweeper's batch; SKIP LOCKED leaves ones another replica (or a Commit) holds.
inline constexpr pg::Statement kLockDue{
    "reservation_lock_due",
    "SELECT id FROM reservations WHERE state = 'held' AND expires_at <= now() "
    "ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED",
    "SELECT", "reservations"};

}  // namespace fo::inventory::adapters::sql
