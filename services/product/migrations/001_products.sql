-- The catalog. Rows are soft-deleted (deleted_at) so references from orders stay meaningful;
-- every index is partial on live rows, which is all that lists, counts and uniqueness look at.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE products (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text        NOT NULL,
  description text        NOT NULL DEFAULT '',
  price       bigint      NOT NULL CHECK (price >= 0),
  currency    text        NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
  category    text        NOT NULL DEFAULT '',
  sku         text        NOT NULL,
  is_active   boolean     NOT NULL DEFAULT true,
  stock       bigint      NOT NULL DEFAULT 0 CHECK (stock >= 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  deleted_at  timestamptz
);

-- A live sku is unique; a deleted product's sku may be reused.
CREATE UNIQUE INDEX products_sku_live_key ON products (sku) WHERE deleted_at IS NULL;

-- Category filter (with price range and price sort). The INCLUDEd columns let a count over
-- is_active / in_stock stay an index-only scan.
CREATE INDEX products_category_price_idx ON products (category, price)
  INCLUDE (is_active, stock) WHERE deleted_at IS NULL;
-- Price range and price sort (ties by id come from an incremental sort); narrow enough that
-- even an unselective price-range count is cheaper as an index-only scan than a table scan.
CREATE INDEX products_price_idx ON products (price)
  INCLUDE (is_active, stock) WHERE deleted_at IS NULL;
-- Name sort and created_at sort.
CREATE INDEX products_name_idx ON products (name, id) WHERE deleted_at IS NULL;
CREATE INDEX products_created_idx ON products (created_at, id) WHERE deleted_at IS NULL;
-- Counts over is_active / in_stock alone (the default shopper list), and the stats. Without
-- an id column B-tree deduplication packs it into a few pages.
CREATE INDEX products_active_stock_idx ON products (is_active, stock) WHERE deleted_at IS NULL;
-- Case-insensitive substring search (ILIKE '%q%') on name, description and sku.
CREATE INDEX products_search_idx ON products
  USING gin (name gin_trgm_ops, description gin_trgm_ops, sku gin_trgm_ops)
  WHERE deleted_at IS NULL;

-- A user's favorite products; the primary key serves "my favorites", the second index the
-- cleanup when a product goes away.
CREATE TABLE favorites (
  user_id    bigint      NOT NULL,
  product_id bigint      NOT NULL REFERENCES products (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, product_id)
);
CREATE INDEX favorites_product_idx ON favorites (product_id);
