-- Streams are tables: create a sharded stream, write to it, read it back.
-- Run: psql -h 127.0.0.1 -p 5488 -f basics.sql   (from this directory, for clicks.csv)
CREATE STREAM clicks (user_id VARCHAR(64), url VARCHAR(2048), latency DOUBLE)
  WITH (shards = 4, partition_key = 'user_id', retention = '24 hours');

INSERT INTO clicks VALUES ('u1', '/a', 12.5), ('u2', '/b', 700);

\copy clicks FROM 'clicks.csv' WITH (FORMAT csv)

-- Rows are spread over shards by MD5 of the partition key, as Kinesis does.
SELECT _shard_id, count(*), avg(latency) FROM clicks GROUP BY _shard_id ORDER BY 1;

SELECT url, count(*) AS clicks, max(latency) AS slowest
  FROM clicks GROUP BY url HAVING count(*) > 1 ORDER BY clicks DESC, url;

-- Where each row went.
INSERT INTO clicks VALUES ('u9', '/z', 1) RETURNING _shard_id, _sequence_number, _partition_key;

\d clicks

-- Mistakes get an error with a SQLSTATE, and nothing is half-done.
INSERT INTO clicks VALUES ('u1', '/a', 'fast');
SELECT count(*) FROM clicks;

DROP STREAM clicks;
