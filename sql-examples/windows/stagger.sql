-- Stagger windows (Kinesis Data Analytics): a window per partition key opens with the
-- key's first row and closes a window length later, emitting one row per key.
CREATE STREAM ticks (ticker VARCHAR(8), price DOUBLE) WITH (shards = 1);
INSERT INTO ticks VALUES ('AMZN', 10), ('MSFT', 20), ('AMZN', 12);

-- Both windows opened with this INSERT's ROWTIME and close one second later.
SELECT STREAM ticker, COUNT(*) AS ticks, MIN(price) AS low, MAX(price) AS high
  FROM ticks START AT TRIM_HORIZON
  WINDOWED BY STAGGER (PARTITION BY ticker RANGE INTERVAL '1' SECOND)
  LIMIT 2;

-- Streaming ORDER BY: rows of each second are released sorted once the second is over.
SELECT STREAM ticker, price FROM ticks START AT TRIM_HORIZON
  ORDER BY FLOOR(ROWTIME TO SECOND), price DESC
  LIMIT 3;

-- The first ORDER BY key must be a time key that only grows.
SELECT STREAM ticker, price FROM ticks ORDER BY price;

DROP STREAM ticks;
