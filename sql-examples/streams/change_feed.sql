-- SELECT STREAM over system tables: a change feed of the catalog, and the iterator age
-- of a live reader that is behind. (A cursor WITH HOLD outlives its transaction, so the
-- statements after COMMIT run while it is open.)
BEGIN;
DECLARE streams_feed CURSOR WITH HOLD FOR
  SELECT STREAM name, status, open_shards, closed_shards, _change FROM sys.streams WHERE name = 'orders';
DECLARE shards_feed CURSOR WITH HOLD FOR
  SELECT STREAM shard_id, parent_shard_id, adjacent_parent_shard_id, open, _change FROM sys.shards WHERE stream_name = 'orders';
COMMIT;

CREATE STREAM orders (id BIGINT, item TEXT) WITH (shards = 2, partition_key = 'id');
ALTER STREAM orders SPLIT SHARD 'shardId-000000000001' AT '255211775190703847597530955573826158592';
ALTER STREAM orders MERGE SHARDS 'shardId-000000000000', 'shardId-000000000002';

-- One row per change: created, then the split (stream row, closed parent, two children),
-- then the merge.
FETCH ALL FROM streams_feed WITH (timeout = '200 milliseconds');
FETCH ALL FROM shards_feed WITH (timeout = '200 milliseconds');

-- A live reader that took 1 of 3 rows is behind: its iterator age is not NULL.
INSERT INTO orders VALUES (1, 'tea'), (2, 'milk'), (3, 'bread');
BEGIN;
DECLARE reader CURSOR FOR SELECT STREAM id, item FROM orders START AT TRIM_HORIZON;
FETCH 1 FROM reader;
SELECT stream_name, count(*) AS shards_read, min(iterator_age_ms) >= 0 AS aged
  FROM sys.stream_metrics WHERE stream_name = 'orders' AND iterator_age_ms IS NOT NULL GROUP BY stream_name;
ROLLBACK;

DROP STREAM orders;
FETCH ALL FROM streams_feed WITH (timeout = '200 milliseconds');
CLOSE streams_feed;
CLOSE shards_feed;
