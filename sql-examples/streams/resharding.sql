-- Resharding: split, merge and uniform scaling (Kinesis SplitShard, MergeShards,
-- UpdateShardCount). Parents are closed and keep their rows; a key's rows are read
-- parent first, so they come out in the order they were written.
CREATE STREAM orders (customer VARCHAR(32), amount INTEGER)
  WITH (shards = 2, partition_key = 'customer');

INSERT INTO orders VALUES ('key', 10), ('c', 20), ('b', 30);

-- Split the lower half of the key space at 2^126.
ALTER STREAM orders SPLIT SHARD 'shardId-000000000000' AT '85070591730234615865843651857942052864';
INSERT INTO orders VALUES ('key', 11), ('c', 21);

-- Merge the two children back (they are adjacent).
ALTER STREAM orders MERGE SHARDS 'shardId-000000000002', 'shardId-000000000003';
INSERT INTO orders VALUES ('key', 12);

SELECT shard_id, parent_shard_id, adjacent_parent_shard_id, open, rows
  FROM sys.shards WHERE stream_name = 'orders' ORDER BY shard_id;

-- One key across the split and the merge: in write order, sequence numbers growing.
SELECT amount, _shard_id, _sequence_number FROM orders WHERE customer = 'key';

-- Uniform scaling to 4 shards: the open shards get the even layout.
ALTER STREAM orders SET (shards = 4);
SELECT shard_id, starting_hash_key, ending_hash_key
  FROM sys.shards WHERE stream_name = 'orders' AND open ORDER BY shard_id;

-- Bad input is refused with what is allowed; the stream is unchanged.
ALTER STREAM orders MERGE SHARDS 'shardId-000000000007', 'shardId-000000000005';
ALTER STREAM orders SPLIT SHARD 'shardId-000000000000' AT '5';
ALTER STREAM orders SET (shards = 0);
SELECT open_shards, closed_shards FROM sys.streams WHERE name = 'orders';
