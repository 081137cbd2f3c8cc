-- GET /api/products?category=category-N&sort=price&limit=20 for an anonymous caller: the total
-- and the page, as the product service runs them (adapters/list_query.cpp). The time format
-- is spelled in pieces because pgbench reads ":MI" as a variable (the planner folds it).
\set c random(1, 49)
SELECT count(*) FROM products p
WHERE p.deleted_at IS NULL AND p.category = 'category-' || :c AND p.is_active = true;
SELECT p.id, p.name, p.description, p.price, p.currency, p.category, p.sku, p.is_active, p.stock,
       to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || ':' || 'MI' || ':' || 'SS.US"Z"'),
       to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || ':' || 'MI' || ':' || 'SS.US"Z"')
FROM products p
WHERE p.deleted_at IS NULL AND p.category = 'category-' || :c AND p.is_active = true
ORDER BY p.price, p.id LIMIT 20 OFFSET 0;
