-- The transactional outbox and the consumer inbox (platform/messaging), shared by every service
-- that publishes or consumes events. Versions 9000+ are the platform's; services use 1..8999.

-- Events written in the same transaction as the state change they announce; the relay publishes
-- them in `seq` order and stamps published_at.
CREATE TABLE outbox (
  seq          bigserial PRIMARY KEY,
  id           uuid NOT NULL UNIQUE,         -- ce_id
  topic        text NOT NULL,
  key          text NOT NULL,                -- the aggregate id (record key)
  type         text NOT NULL,                -- ce_type
  payload      bytea NOT NULL,               -- the serialized protobuf message
  traceparent  text NOT NULL DEFAULT '',     -- the writer's trace context, for the producer span
  tracestate   text NOT NULL DEFAULT '',
  occurred_at  timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;

-- One row per event a consumer has applied, written in the same transaction as its effect, so a
-- redelivered event is recognised and has no second effect.
CREATE TABLE inbox (
  event_id     text PRIMARY KEY,             -- ce_id
  type         text NOT NULL,
  topic        text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);
