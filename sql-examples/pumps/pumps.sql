-- Pumps: continuous INSERT … SELECT STREAM that run inside the server. One-shard
-- streams keep the output order the same on every run.
CREATE STREAM orders (id INTEGER, item VARCHAR(16), qty INTEGER);
CREATE STREAM big_orders (id INTEGER, item VARCHAR(16), qty INTEGER);
CREATE STREAM order_counts (item VARCHAR(16), orders BIGINT, total BIGINT);
CREATE STREAM unit_prices (id INTEGER, price INTEGER);

-- A filter, a one-second tumbling window, and a pump whose division fails on qty = 0.
CREATE PUMP big AS INSERT INTO big_orders SELECT STREAM id, item, qty FROM orders WHERE qty >= 10;
CREATE PUMP counts AS INSERT INTO order_counts
  SELECT STREAM item, COUNT(*), SUM(qty) FROM orders GROUP BY item, STEP(orders.ROWTIME BY INTERVAL '1' SECOND);
CREATE PUMP per_unit AS INSERT INTO unit_prices SELECT STREAM id, 100 / qty FROM orders;

INSERT INTO orders VALUES (1, 'apple', 5), (2, 'pear', 10), (3, 'apple', 20), (4, 'fig', 0);

-- Wait for a pump's output with a cursor: FETCH returns as soon as the rows exist
-- (or, at the latest, when the timeout passes).
BEGIN;
DECLARE out CURSOR FOR SELECT STREAM id, item, qty FROM big_orders START AT TRIM_HORIZON;
FETCH 2 FROM out WITH (timeout = '10 seconds');
COMMIT;

-- The window closes when its second ends: one row per item.
BEGIN;
DECLARE c CURSOR FOR SELECT STREAM item, orders, total FROM order_counts START AT TRIM_HORIZON;
FETCH 3 FROM c WITH (timeout = '10 seconds');
COMMIT;

-- The row with qty = 0 went to error_stream; the others went on.
BEGIN;
DECLARE e CURSOR FOR SELECT STREAM error_name, message, pump_name, data_row FROM error_stream START AT TRIM_HORIZON;
FETCH 1 FROM e WITH (timeout = '10 seconds');
COMMIT;
BEGIN;
DECLARE u CURSOR FOR SELECT STREAM id, price FROM unit_prices START AT TRIM_HORIZON;
FETCH 3 FROM u WITH (timeout = '10 seconds');
COMMIT;

-- CREATE OR REPLACE swaps the query and continues at the old read position.
CREATE OR REPLACE PUMP big AS INSERT INTO big_orders SELECT STREAM id, item, qty FROM orders WHERE qty >= 15;
INSERT INTO orders VALUES (5, 'kiwi', 15), (6, 'plum', 12);
BEGIN;
DECLARE out2 CURSOR FOR SELECT STREAM id, item, qty FROM big_orders START AT TRIM_HORIZON;
FETCH 3 FROM out2 WITH (timeout = '10 seconds');
COMMIT;
-- (The other two pumps' output of the new rows, so that every pump has read them.)
BEGIN;
DECLARE c2 CURSOR FOR SELECT STREAM item, orders, total FROM order_counts START AT TRIM_HORIZON;
FETCH 5 FROM c2 WITH (timeout = '10 seconds');
DECLARE u2 CURSOR FOR SELECT STREAM id, price FROM unit_prices START AT TRIM_HORIZON;
FETCH 5 FROM u2 WITH (timeout = '10 seconds');
COMMIT;

-- Once stopped, a pump's counters are final.
ALTER PUMP big STOP;
ALTER PUMP counts STOP;
ALTER PUMP per_unit STOP;
SELECT pump_name, source_stream, target_stream, state, rows_in, rows_out, error_rows, lag_rows
  FROM sys.pumps ORDER BY pump_name;

-- A stream a pump uses cannot be dropped before the pump.
DROP STREAM orders;
DROP PUMP big, counts, per_unit;
DROP STREAM orders, big_orders, order_counts, unit_prices;

-- A pump joining two streams within a window: each purchase meets the deliveries of the
-- second after it; LEFT keeps a purchase that met none, with NULLs, once its second is over.
-- CURRENT_ROW_TIMESTAMP in a pump is the time the pump processed the batch (recorded with
-- the batch, so a re-run after a crash writes the same value): never before the joined
-- row's ROWTIME (for the unmatched purchase: its ROWTIME + 1 second).
CREATE STREAM purchases (id INTEGER, item VARCHAR(16)) WITH (shards = 1);
CREATE STREAM deliveries (purchase_id INTEGER, carrier VARCHAR(16)) WITH (shards = 1);
CREATE STREAM tracked (id INTEGER, item VARCHAR(16), carrier VARCHAR(16), due TIMESTAMP, processed TIMESTAMP);
CREATE PUMP track AS INSERT INTO tracked
  SELECT STREAM p.id, p.item, d.carrier, ROWTIME, CURRENT_ROW_TIMESTAMP
  FROM purchases OVER (RANGE INTERVAL '1' SECOND PRECEDING) AS p
  LEFT JOIN deliveries AS d ON p.id = d.purchase_id;
INSERT INTO purchases VALUES (1, 'apple'), (2, 'pear');
INSERT INTO deliveries VALUES (1, 'ups');
BEGIN;
DECLARE t CURSOR FOR SELECT STREAM id, item, carrier, processed >= due AS processed_after_due FROM tracked START AT TRIM_HORIZON;
FETCH 2 FROM t WITH (timeout = '10 seconds');
COMMIT;
ALTER PUMP track STOP;
SELECT pump_name, source_stream, right_source_stream, rows_in, rows_out, lag_rows, right_lag_rows
  FROM sys.pumps WHERE pump_name = 'track';
-- Neither stream can be dropped while the pump reads it.
DROP STREAM deliveries;
DROP PUMP track;
DROP STREAM purchases, deliveries, tracked;
