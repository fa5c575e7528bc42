-- Sliding windows: one output row per input row, computed as the row arrives.
-- The rows are inserted before the queries, which read from the start of the stream
-- (START AT TRIM_HORIZON) and stop after LIMIT rows, so the output is the same on every run.
CREATE STREAM trades (ticker VARCHAR(8), price DOUBLE, qty INTEGER) WITH (shards = 2, partition_key = 'ticker');

-- One INSERT gives its rows one ROWTIME: the 1-minute window below holds every earlier
-- row of the same ticker.
INSERT INTO trades VALUES ('AMZN', 100, 5), ('MSFT', 50, 1), ('AMZN', 104, 2),
                          ('AMZN', 96, 7), ('MSFT', 52, 3), ('AMZN', 110, 1);

-- A time window (RANGE) per ticker, named once and used by several functions.
SELECT STREAM ticker, price,
       COUNT(*) OVER w AS trades_1m, AVG(price) OVER w AS avg_1m,
       MIN(price) OVER w AS low_1m, MAX(price) OVER w AS high_1m
  FROM trades START AT TRIM_HORIZON
  WINDOW w AS (PARTITION BY ticker RANGE INTERVAL '1' MINUTE PRECEDING)
  LIMIT 6;

-- A row window: the current trade and the 2 before it (3 rows) of the same ticker.
SELECT STREAM ticker, price,
       price - LAG(price) OVER last3 AS change,
       SUM(qty) OVER last3 AS qty_last3,
       FIRST_VALUE(price) OVER last3 AS oldest_of_3,
       NTH_VALUE(price, 2) OVER last3 AS second_of_3
  FROM trades START AT TRIM_HORIZON
  WINDOW last3 AS (PARTITION BY ticker ROWS 2 PRECEDING)
  LIMIT 6;

-- An analytic function needs a window: RANGE … PRECEDING or ROWS n PRECEDING.
SELECT STREAM AVG(price) OVER (PARTITION BY ticker) FROM trades;

DROP STREAM trades;
