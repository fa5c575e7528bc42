-- System tables: live views of streams and shards, read with ordinary SELECTs.
CREATE STREAM sensor (device VARCHAR(16), reading DOUBLE)
  WITH (shards = 3, partition_key = 'device', retention = '48 hours') DESCRIPTION 'temperature sensors';
INSERT INTO sensor VALUES ('d1', 20.5), ('d2', 21.0), ('d3', 19.5), ('d1', 20.7);

SELECT name, status, open_shards, retention_hours, capacity_mode, partition_key, columns, rows, description
  FROM sys.streams WHERE name = 'sensor';

SELECT shard_id, starting_hash_key, ending_hash_key, starting_sequence_number, open, rows
  FROM sys.shards WHERE stream_name = 'sensor' ORDER BY shard_id;

-- Options change on the live stream.
ALTER STREAM sensor SET (retention = '7 days', capacity_mode = 'provisioned', max_record_size = '64 kB');
SELECT retention_hours, capacity_mode, max_record_size FROM sys.streams WHERE name = 'sensor';

-- Per-shard, per-minute traffic (iterator_age_ms is NULL: no continuous reader reads sensor).
SELECT shard_id, incoming_rows, iterator_age_ms FROM sys.stream_metrics
  WHERE stream_name = 'sensor' ORDER BY shard_id;
