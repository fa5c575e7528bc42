-- Continuous joins: a stream with a reference table, and two streams within a window.
-- The rows are inserted before the queries, which read from the start of the streams
-- (START AT TRIM_HORIZON) and stop after LIMIT rows, so the output is the same on every run.
CREATE TABLE companies (ticker VARCHAR(8) PRIMARY KEY, name VARCHAR NOT NULL, sector VARCHAR(16));
INSERT INTO companies VALUES ('AMZN', 'Amazon', 'Retail'), ('AAPL', 'Apple', 'Tech'), ('MSFT', 'Microsoft', 'Tech');
CREATE STREAM trades (ticker VARCHAR(8), price DOUBLE, qty INTEGER) WITH (shards = 1);
INSERT INTO trades VALUES ('AMZN', 180, 5), ('IBM', 140, 2), ('AAPL', 190, 10), ('MSFT', 410, 1);

-- Stream to table: each trade meets the table as it is when the trade is processed.
-- INNER drops the IBM trade (no company row); LEFT keeps it with NULLs.
SELECT STREAM t.ticker, c.name, t.price * t.qty AS amount
  FROM trades AS t JOIN companies AS c ON t.ticker = c.ticker
  START AT TRIM_HORIZON LIMIT 3;
SELECT STREAM t.ticker, c.name, c.sector
  FROM trades AS t LEFT JOIN companies AS c ON t.ticker = c.ticker
  START AT TRIM_HORIZON LIMIT 4;

-- A window after the join: trade volume per sector and second.
-- (Uses the joined row's ROWTIME, the trade's; the window closes when its second ends.)
SELECT STREAM c.sector, COUNT(*) AS trades, SUM(t.price * t.qty) AS volume
  FROM trades AS t JOIN companies AS c ON t.ticker = c.ticker
  START AT TRIM_HORIZON
  GROUP BY c.sector, STEP(ROWTIME BY INTERVAL '1' SECOND)
  LIMIT 2;

-- Stream to stream: orders stay joinable for 1 second, so a shipment meets the orders of
-- the second before it. LEFT JOIN reports an order without a shipment once that second has passed.
CREATE STREAM order_events (id INTEGER, item TEXT) WITH (shards = 1);
CREATE STREAM shipment_events (order_id INTEGER, carrier TEXT) WITH (shards = 1);
INSERT INTO order_events VALUES (1, 'book'), (2, 'lamp'), (3, 'desk');
INSERT INTO shipment_events VALUES (1, 'ups'), (3, 'dhl'), (9, 'unknown order');
SELECT STREAM o.id, o.item, s.carrier
  FROM order_events OVER (RANGE INTERVAL '1' SECOND PRECEDING) AS o
  LEFT JOIN shipment_events AS s ON o.id = s.order_id
  START AT TRIM_HORIZON LIMIT 3;

-- FULL JOIN also reports the shipment that matched no order.
SELECT STREAM o.id, s.order_id, s.carrier
  FROM order_events OVER (RANGE INTERVAL '1' SECOND PRECEDING) AS o
  FULL JOIN shipment_events AS s ON o.id = s.order_id
  START AT TRIM_HORIZON LIMIT 4;

-- Two streams without a window would keep every row forever: refused.
SELECT STREAM * FROM order_events AS o JOIN shipment_events AS s ON o.id = s.order_id;
-- A table row has no time at which it could be reported unmatched: RIGHT/FULL are refused.
SELECT STREAM * FROM trades AS t RIGHT JOIN companies AS c ON t.ticker = c.ticker;

DROP STREAM shipment_events;
DROP STREAM order_events;
DROP STREAM trades;
DROP TABLE companies;
