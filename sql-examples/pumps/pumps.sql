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
