-- A stock row with plenty of units for each of :count products, so a Reserve benchmark never
-- runs out. Used by bench/catalog (psql -v count=N).
INSERT INTO stock_items (product_id, location, on_hand)
SELECT g, 'main', 100000000 FROM generate_series(1, :count) AS g;
