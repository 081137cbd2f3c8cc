-- One purchase's synchronous SQL, statement for statement as the services run it on the request
-- path (payment: adapters/pg_statements.hpp and pg_payment_repository.cpp; inventory: Reserve;
-- user and product: the gRPC lookups), against one database holding all their tables
-- (bench/purchase builds it from the services' own migrations). The asynchronous work after the
-- 201 (relays, the inventory commit, the product stock view) is not in here, as it is not in the
-- request's latency either. Time formats are split only because pgbench reads ":MI" as a variable.
\set user random(1, :users)
\set product random(1, :products)
SELECT gen_random_uuid()::text AS pid, gen_random_uuid()::text AS idem \gset
-- 1. Claim the idempotency key.
INSERT INTO idempotency_keys (user_id, key, request_hash, state)
VALUES (:user, :idem::text, 'hash', 'in_flight') ON CONFLICT (user_id, key) DO NOTHING RETURNING 1;
-- 2. ValidateUser and GetProduct (in parallel in the service).
SELECT id, username, email, full_name, role, is_active,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || ':' || 'MI' || ':' || 'SS.US"Z"'),
       to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || ':' || 'MI' || ':' || 'SS.US"Z"')
FROM users WHERE id = :user;
SELECT p.id, p.name, p.description, p.price, p.currency, p.category, p.sku, p.is_active, p.stock,
       to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || ':' || 'MI' || ':' || 'SS.US"Z"'),
       to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24' || ':' || 'MI' || ':' || 'SS.US"Z"')
FROM products p WHERE p.id = :product AND p.deleted_at IS NULL;
-- 3. The pending payment, linked to its key.
BEGIN;
INSERT INTO payments (id, user_id, product_id, quantity, amount, currency, status, payment_method)
VALUES (:pid::uuid, :user, :product, 1, 1999, 'USD', 'pending', 'card') RETURNING id;
UPDATE idempotency_keys SET payment_id = :pid::uuid
WHERE user_id = :user AND key = :idem::text AND state = 'in_flight' AND payment_id IS NULL RETURNING 1;
COMMIT;
-- 4. Reserve (inventory): the reservation row, then the line's conditional UPDATE.
BEGIN;
INSERT INTO reservations (id, state, items, expires_at)
VALUES (:pid::text, 'held', :product::text || ':1', now() + make_interval(secs => 300))
ON CONFLICT (id) DO NOTHING RETURNING expires_at;
SAVEPOINT lines;
WITH u AS (UPDATE stock_items SET reserved = reserved + 1, version = version + 1,
           updated_at = now() WHERE id = (SELECT id FROM stock_items WHERE product_id = :product
           AND on_hand - reserved >= 1 ORDER BY location LIMIT 1 FOR UPDATE)
           AND on_hand - reserved >= 1 RETURNING id, product_id, on_hand, reserved),
     l AS (INSERT INTO reservation_lines (reservation_id, stock_item_id, product_id, quantity)
           SELECT :pid::text, id, product_id, 1 FROM u),
     m AS (INSERT INTO inventory_movements (stock_item_id, product_id, reservation_id, kind,
           delta_on_hand, delta_reserved, on_hand_after, reserved_after, actor, reason)
           SELECT id, product_id, :pid::text, 'reserved', 0, 1, on_hand, reserved,
                  'rpc', '' FROM u)
SELECT id FROM u;
COMMIT;
-- 5. The (simulated) provider's charge.
INSERT INTO provider_charges (payment_id, transaction_id, amount, currency, payment_method, status)
VALUES (:pid::uuid, 'txn_' || :idem::text, 1999, 'USD', 'card', 'charged')
ON CONFLICT (payment_id) DO NOTHING RETURNING status, transaction_id;
-- 6. Completed, the ProductPurchased outbox row and the key's stored response, in one transaction.
BEGIN;
SELECT id, status FROM payments WHERE id = :pid::uuid FOR UPDATE;
UPDATE payments SET status = 'completed', transaction_id = 'txn_' || :idem::text, updated_at = now()
WHERE id = :pid::uuid RETURNING id;
INSERT INTO outbox (id, topic, key, type, payload, traceparent, tracestate)
VALUES (gen_random_uuid(), 'payment.events', :pid::text, 'fo.events.v1.ProductPurchased',
        decode('0a2430313933', 'hex'), '', '');
UPDATE idempotency_keys SET state = 'done', response_status = 201, response_body = '{}'
WHERE payment_id = :pid::uuid AND state = 'in_flight';
COMMIT;
