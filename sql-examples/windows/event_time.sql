-- Event time: the stream declares a watermark on its event_time column. Windows over
-- event_time close when the watermark (largest event_time seen - 5 seconds) passes
-- their end: later rows close them, not the wall clock, so the output is always the same.
CREATE STREAM trades (ticker VARCHAR(8), price DOUBLE, event_time TIMESTAMP,
                      WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH (shards = 1);
SELECT name, watermark FROM sys.streams WHERE name = 'trades';

INSERT INTO trades VALUES
  ('AMZN', 10, '2026-03-01 09:00:01'), ('MSFT', 20, '2026-03-01 09:00:03'),
  ('AMZN', 12, '2026-03-01 09:00:08'),
  ('AMZN', 11, '2026-03-01 09:00:06'),   -- out of order, but within the 5 s delay
  ('MSFT', 21, '2026-03-01 09:00:16'),   -- watermark 09:00:11: [09:00:00, 09:00:10) closes
  ('AMZN',  9, '2026-03-01 09:00:04'),   -- late: its window has closed; counted, not aggregated
  ('AMZN', 13, '2026-03-01 09:00:31');   -- watermark 09:00:26: [09:00:10, 09:00:20) closes

-- Tumbling 10-second windows over event time.
SELECT STREAM STEP(event_time BY INTERVAL '10' SECOND) AS window_start, ticker,
       COUNT(*) AS trades, AVG(price) AS avg_price
  FROM trades START AT TRIM_HORIZON
  GROUP BY ticker, STEP(event_time BY INTERVAL '10' SECOND)
  LIMIT 3;

SELECT late_rows FROM sys.streams WHERE name = 'trades';

-- Hopping windows: 10 seconds long, one every 5 seconds (a row falls in two of them).
SELECT STREAM HOP_START(event_time, INTERVAL '5' SECOND, INTERVAL '10' SECOND) AS s,
       HOP_END(event_time, INTERVAL '5' SECOND, INTERVAL '10' SECOND) AS e,
       COUNT(*) AS trades, MAX(price) AS high
  FROM trades START AT TRIM_HORIZON
  GROUP BY HOP(event_time, INTERVAL '5' SECOND, INTERVAL '10' SECOND)
  LIMIT 4;

-- Session windows per ticker: a session ends after 5 seconds without a trade.
SELECT STREAM ticker, SESSION_START(event_time, INTERVAL '5' SECOND) AS s,
       SESSION_END(event_time, INTERVAL '5' SECOND) AS e, COUNT(*) AS trades
  FROM trades START AT TRIM_HORIZON
  GROUP BY ticker, SESSION(event_time, INTERVAL '5' SECOND)
  ORDER BY SESSION_END(event_time, INTERVAL '5' SECOND), ticker
  LIMIT 2;

-- A window over a TIMESTAMP column without a watermark could never close.
CREATE STREAM plain (at TIMESTAMP);
SELECT STREAM COUNT(*) FROM plain GROUP BY SESSION(at, INTERVAL '1' MINUTE);

DROP STREAM trades, plain;
