-- :count products with a realistic spread: 50 categories, prices 1.00 to 10,000.00, one in five
-- out of stock, and the last tenth inactive (so ids 1..:active are what anyone may read).
-- Used by bench/catalog (psql -v count=N -v active=M).
INSERT INTO products (name, description, price, currency, category, sku, is_active, stock)
SELECT 'Product ' || g || ' ' || md5(g::text),
       'A benchmark product, number ' || g || ', ' || md5((g * 7)::text),
       100 + (g * 7919) % 1000000,
       'USD',
       'category-' || (g % 50),
       'SKU-' || g,
       g <= :active,
       CASE WHEN g % 5 = 0 THEN 0 ELSE (g * 31) % 500 + 1 END
FROM generate_series(1, :count) AS g;
