#pragma once
// The fixed SQL statements of the product service, prepared once per connection. The list
// statements are built per filter shape in list_query.cpp.
#include "platform/pg/types.hpp"

namespace fo::product::adapters::sql {

// Columns of domain::Product, in the order RowToProduct reads them; `p` is products.
#define FO_PRODUCT_COLUMNS                                                                   \
  "p.id, p.name, p.description, p.price, p.currency, p.category, p.sku, p.is_active, "       \
  "p.stock, to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), " \
  "to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

inline constexpr pg::Statement kInsert{
    "products_insert",
    "INSERT INTO products AS p (name, description, price, currency, category, sku, is_active) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " FO_PRODUCT_COLUMNS,
    "INSERT", "products"};

inline constexpr pg::Statement kFindById{
    "products_find",
    "SELECT " FO_PRODUCT_COLUMNS " FROM products p WHERE p.id = $1 AND p.deleted_at IS NULL",
    "SELECT", "products"};

inline constexpr pg::Statement kFindMany{
    "products_find_many",
    "SELECT " FO_PRODUCT_COLUMNS
    " FROM products p WHERE p.id = ANY($1::bigint[]) AND p.deleted_at IS NULL ORDER BY p.id",
    "SELECT", "products"};

inline constexpr pg::Statement kReplace{
    "products_replace",
    "UPDATE products p SET name = $2, description = $3, price = $4, currency = $5, "
    "category = $6, sku = $7, is_active = $8, updated_at = now() "
    "WHERE p.id = $1 AND p.deleted_at IS NULL RETURNING " FO_PRODUCT_COLUMNS,
    "UPDATE", "products"};

// Absent (NULL) fields keep their value; the fields are NOT NULL, so NULL never means "clear".
inline constexpr pg::Statement kUpdate{
    "products_update",
    "UPDATE products p SET name = COALESCE($2, name), description = COALESCE($3, description), "
    "price = COALESCE($4, price), currency = COALESCE($5, currency), "
    "category = COALESCE($6, category), sku = COALESCE($7, sku), "
    "is_active = COALESCE($8, is_active), updated_at = now() "
    "WHERE p.id = $1 AND p.deleted_at IS NULL RETURNING " FO_PRODUCT_COLUMNS,
    "UPDATE", "products"};

// Returns what ProductDeleted carries: the sku and the deletion time.
inline constexpr pg::Statement kSoftDelete{
    "products_soft_delete",
    "UPDATE products SET deleted_at = now(), updated_at = now() "
    "WHERE id = $1 AND deleted_at IS NULL "
    "RETURNING sku, to_char(deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
    "UPDATE", "products"};

// Stock is inventory's number: it does not touch updated_at, which tracks catalog edits. A
// report older than the one applied last ($3 before stock_as_of) changes nothing; a report
// without a time ($3 NULL) always applies. Returns whether the product exists and whether the
// report was applied.
inline constexpr pg::Statement kApplyStock{
    "products_apply_stock",
    "WITH target AS (SELECT id FROM products WHERE id = $1), "
    "applied AS (UPDATE products p SET stock = $2, "
    "stock_as_of = COALESCE($3::timestamptz, p.stock_as_of) FROM target "
    "WHERE p.id = target.id AND ($3::timestamptz IS NULL OR p.stock_as_of IS NULL "
    "OR p.stock_as_of <= $3::timestamptz) RETURNING p.id) "
    "SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM applied)",
    "UPDATE", "products"};

// Over live products; the $1 threshold bounds "low stock". Empty categories are not categories.
inline constexpr pg::Statement kStats{
    "products_stats",
    "SELECT count(*), count(*) FILTER (WHERE is_active), "
    "count(*) FILTER (WHERE is_active AND stock = 0), "
    "count(*) FILTER (WHERE is_active AND stock > 0 AND stock <= $1), "
    "COALESCE(sum(stock), 0)::bigint, "
    "COALESCE(floor(avg(price) FILTER (WHERE is_active)), 0)::bigint, "
    "count(DISTINCT category) FILTER (WHERE is_active AND category <> '') "
    "FROM products WHERE deleted_at IS NULL",
    "SELECT", "products"};

inline constexpr pg::Statement kCategories{
    "products_categories",
    "SELECT category, count(*) FROM products "
    "WHERE deleted_at IS NULL AND is_active AND category <> '' "
    "GROUP BY category ORDER BY category",
    "SELECT", "products"};

// Inserts only for a live, active product; the count tells whether the product exists, so a
// favorite that is already there is still a success (idempotent).
inline constexpr pg::Statement kAddFavorite{
    "favorites_add",
    "WITH target AS (SELECT id FROM products WHERE id = $2 AND deleted_at IS NULL AND is_active), "
    "added AS (INSERT INTO favorites (user_id, product_id) SELECT $1, id FROM target "
    "ON CONFLICT DO NOTHING) "
    "SELECT count(*) FROM target",
    "INSERT", "favorites"};

inline constexpr pg::Statement kRemoveFavorite{
    "favorites_remove", "DELETE FROM favorites WHERE user_id = $1 AND product_id = $2", "DELETE",
    "favorites"};

#define FO_FAVORITES_JOIN                                    \
  " FROM favorites f JOIN products p ON p.id = f.product_id" \
  " WHERE f.user_id = $1 AND p.deleted_at IS NULL AND p.is_active"

inline constexpr pg::Statement kListFavorites{
    "favorites_list",
    "SELECT " FO_PRODUCT_COLUMNS FO_FAVORITES_JOIN
    " ORDER BY f.created_at DESC, f.product_id DESC LIMIT $2 OFFSET $3",
    "SELECT", "favorites"};

inline constexpr pg::Statement kCountFavorites{
    "favorites_count", "SELECT count(*)" FO_FAVORITES_JOIN, "SELECT", "favorites"};

}  // namespace fo::product::adapters::sql
