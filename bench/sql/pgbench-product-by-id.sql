-- GET /api/products/{id}: the statement the product service runs (adapters/pg_statements.hpp).
-- The time format is spelled in pieces only because pgbench reads ":MI" as a variable; the
-- planner folds the constant, so the executed statement is the same.
\set id random(1, :active)
SELECT p.id, p.name, p.description, p.price, p.currency, p.category, p.sku, p.is_active, p.stock,
       to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || ':' || 'MI' || ':' || 'SS.US"Z"'),
       to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || ':' || 'MI' || ':' || 'SS.US"Z"')
FROM products p WHERE p.id = :id AND p.deleted_at IS NULL;
