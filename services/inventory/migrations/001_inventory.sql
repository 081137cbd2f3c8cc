-- Stock per product and location; available = on_hand - reserved, never negative.
CREATE TABLE stock_items (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id bigint NOT NULL CHECK (product_id > 0),
  location   text NOT NULL DEFAULT 'main',
  on_hand    bigint NOT NULL,
  reserved   bigint NOT NULL DEFAULT 0,
  version    bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT stock_items_product_location_key UNIQUE (product_id, location),
  CONSTRAINT stock_items_reserved_range CHECK (0 <= reserved AND reserved <= on_hand)
);

-- One row per reservation id the callers chose; a rejected one is kept so a repeat answers the
-- same. `items` is the canonical request ("product:quantity,..." by product) to spot reuse.
CREATE TABLE reservations (
  id         text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  state      text NOT NULL
             CHECK (state IN ('held', 'committed', 'released', 'expired', 'rejected')),
  items      text NOT NULL,
  expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (state = 'rejected' OR expires_at IS NOT NULL)
);
-- The sweeper's scan: held reservations by expiry.
CREATE INDEX reservations_held_expiry_idx ON reservations (expires_at) WHERE state = 'held';

CREATE TABLE reservation_lines (
  reservation_id text NOT NULL REFERENCES reservations (id),
  stock_item_id  bigint NOT NULL REFERENCES stock_items (id),
  product_id     bigint NOT NULL,
  quantity       bigint NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (reservation_id, product_id)
);
CREATE INDEX reservation_lines_stock_idx ON reservation_lines (stock_item_id);

-- What a rejected reservation lacked, as answered to the caller.
CREATE TABLE reservation_shortages (
  reservation_id text NOT NULL REFERENCES reservations (id),
  product_id     bigint NOT NULL,
  requested      bigint NOT NULL,
  available      bigint NOT NULL,
  PRIMARY KEY (reservation_id, product_id)
);

-- The audit trail: every change of on_hand or reserved writes one row in the same transaction.
CREATE TABLE inventory_movements (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stock_item_id  bigint NOT NULL REFERENCES stock_items (id),
  product_id     bigint NOT NULL,
  reservation_id text REFERENCES reservations (id),
  kind           text NOT NULL CHECK (kind IN ('created', 'adjusted', 'set', 'reserved',
                                               'committed', 'released', 'expired')),
  delta_on_hand  bigint NOT NULL,
  delta_reserved bigint NOT NULL,
  on_hand_after  bigint NOT NULL,
  reserved_after bigint NOT NULL,
  actor          text NOT NULL,
  reason         text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inventory_movements_stock_idx ON inventory_movements (stock_item_id, id);
CREATE INDEX inventory_movements_reservation_idx ON inventory_movements (reservation_id)
  WHERE reservation_id IS NOT NULL;
