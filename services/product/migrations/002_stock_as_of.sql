-- When the stock report the view last applied was made at inventory (the event's time), so a
-- late, older report never overwrites a newer one. NULL: no timed report applied yet.
ALTER TABLE products ADD COLUMN stock_as_of timestamptz;
