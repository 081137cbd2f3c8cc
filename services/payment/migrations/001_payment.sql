-- Payments: one row per purchase attempt that got past validation. amount is price x quantity in
-- minor units of currency, computed by the service from the catalog, never taken from a client.
CREATE TABLE payments (
  id             uuid PRIMARY KEY,                    -- UUIDv7; also the inventory reservation id
  user_id        bigint NOT NULL CHECK (user_id > 0),
  product_id     bigint NOT NULL CHECK (product_id > 0),
  quantity       integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
  amount         bigint NOT NULL CHECK (amount >= 0),
  currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status         text NOT NULL CHECK (status IN ('pending', 'completed', 'failed', 'refunded')),
  payment_method text NOT NULL CHECK (payment_method ~ '^[a-z0-9_]{1,64}$'),
  transaction_id text,
  failure_reason text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (status NOT IN ('completed', 'refunded') OR transaction_id IS NOT NULL),
  CHECK (status <> 'failed' OR failure_reason IS NOT NULL)
);
-- A user's history, newest first.
CREATE INDEX payments_user_idx ON payments (user_id, created_at DESC, id DESC);
-- The admin list by status, and the recovery job's scan of stale pending payments.
CREATE INDEX payments_status_idx ON payments (status, created_at DESC, id DESC);

-- Idempotency-Key claims, per user (Stripe's semantics). A key is claimed in_flight by an atomic
-- INSERT ... ON CONFLICT DO NOTHING, then either finished (`done`, with the response to replay
-- byte for byte) or deleted when the attempt left nothing behind (a dependency was down), so the
-- client may retry it. request_hash is the SHA-256 of the canonical decoded request.
CREATE TABLE idempotency_keys (
  user_id         bigint NOT NULL,
  key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash    text NOT NULL,
  state           text NOT NULL CHECK (state IN ('in_flight', 'done')),
  response_status integer,
  response_body   text,
  payment_id      uuid REFERENCES payments (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key),
  CHECK (state = 'in_flight' OR (response_status IS NOT NULL AND response_body IS NOT NULL))
);
CREATE INDEX idempotency_keys_payment_idx ON idempotency_keys (payment_id)
  WHERE state = 'in_flight';
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (state, created_at);

-- The SIMULATED payment provider's own ledger. It stands in for the provider's side of the wire:
-- charges are keyed by payment id, so a repeated charge returns the first decision instead of
-- charging twice, and after a crash the recovery job can ask "did you charge payment X?"
-- exactly as it would ask a real provider by idempotency key. A real provider keeps this ledger
-- itself; this table then goes away with the simulated adapter.
CREATE TABLE provider_charges (
  payment_id     uuid PRIMARY KEY,
  transaction_id text NOT NULL UNIQUE,
  amount         bigint NOT NULL CHECK (amount >= 0),
  currency       text NOT NULL,
  payment_method text NOT NULL,
  status         text NOT NULL CHECK (status IN ('charged', 'declined', 'refunded')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  refunded_at    timestamptz
);
