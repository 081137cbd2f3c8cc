-- Refunds put committed units back on hand: a reservation can end `returned`, and the movement
-- that does it is of kind `returned`.
ALTER TABLE reservations DROP CONSTRAINT reservations_state_check;
ALTER TABLE reservations ADD CONSTRAINT reservations_state_check
  CHECK (state IN ('held', 'committed', 'released', 'expired', 'rejected', 'returned'));
ALTER TABLE inventory_movements DROP CONSTRAINT inventory_movements_kind_check;
ALTER TABLE inventory_movements ADD CONSTRAINT inventory_movements_kind_check
  CHECK (kind IN ('created', 'adjusted', 'set', 'reserved', 'committed', 'released', 'expired',
                  'returned'));
