-- Continuous queries: a tumbling one-second window over ROWTIME, read from the start
-- of the stream (START AT TRIM_HORIZON) so that the output is the same on every run.
CREATE STREAM clicks (url VARCHAR(64), latency DOUBLE) WITH (shards = 2, partition_key = 'url');
INSERT INTO clicks VALUES ('/a', 10), ('/b', 20), ('/a', 30);

-- One INSERT gives its rows one ROWTIME, so they share a window; it closes when that
-- second ends, so this query returns within a second: one row per url.
SELECT STREAM url, COUNT(*) AS clicks, SUM(latency) AS total
  FROM clicks START AT TRIM_HORIZON
  GROUP BY url, STEP(clicks.ROWTIME BY INTERVAL '1' SECOND)
  LIMIT 2;

-- Live rows one by one: the stream's rows since the start, ending after 3 rows.
SELECT STREAM url, latency * 2 AS doubled FROM clicks START AT TRIM_HORIZON WHERE latency > 5 LIMIT 3;

DROP STREAM clicks;
