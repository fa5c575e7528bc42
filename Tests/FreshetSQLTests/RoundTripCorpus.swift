/// Statements for the round-trip test: every one must parse, print, and
/// re-parse to an equal AST. Kept as SQL text, split with the parser itself
/// (each statement's span slices its text). Kinesis Data Analytics examples
/// (SQL.md) are written as the Kinesis documentation writes them.
let roundTripCorpus = #"""
-- Streams
CREATE STREAM clicks (user_id VARCHAR(64), url VARCHAR(2048), latency DOUBLE, event_time TIMESTAMP);
CREATE OR REPLACE STREAM clicks (
    user_id   VARCHAR(64),
    url       VARCHAR(2048),
    latency   DOUBLE,
    event_time TIMESTAMP,
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
    shards = 4,
    partition_key = 'user_id',
    retention = '24 hours',
    capacity_mode = 'on_demand'
) DESCRIPTION 'free text';
CREATE STREAM raw_events;
CREATE STREAM IF NOT EXISTS s.raw_events WITH (shards = 1);
CREATE STREAM t (a INT NOT NULL, b int4, c INT8, d bigint, e smallint, f int2, g tinyint, h boolean, i bool);
CREATE STREAM t (a real, b float4, c float8, d float, e float(10), f float(40), g double precision, h numeric, i numeric(10), j decimal(10, 2), k dec);
CREATE STREAM t (a char, b character(3), c character varying(10), d char varying, e varchar, f text, g varbinary(16), h bytea, i binary varying);
CREATE STREAM t (a date, b time, c time(3), d time without time zone, e timestamp(6), f timestamp without time zone, g timestamp with time zone, h timestamptz, i timetz);
CREATE STREAM t (a interval, b interval day to second, c interval year, d interval minute(3), e interval second(2, 3), f interval day to second(6), g interval(3));
CREATE STREAM t (a json, b uuid, c text[], d int[][], e pg_catalog.int4, f "MyType", g x.y);
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker_symbol VARCHAR(4), sector VARCHAR(12), change DOUBLE, price DOUBLE);
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" ("TICKER_SYMBOL" VARCHAR(4), "Change" REAL, avg_price DOUBLE);
CREATE STREAM "select" ("from" INT, "Group" INT, "a b" INT, "q""uote" INT);
CREATE STREAM e (ts TIMESTAMP NOT NULL, WATERMARK FOR ts AS ts - INTERVAL '1' MINUTE);
CREATE STREAM w (v INT) WITH (shards = 8, retention = '7 days', flag = TRUE, ratio = 0.5, neg = -1, mode = provisioned, "Quoted" = "Word");

-- Tables
CREATE TABLE companies (ticker VARCHAR(4) PRIMARY KEY, name TEXT NOT NULL, sector VARCHAR(12));
CREATE TABLE IF NOT EXISTS ref.companies (ticker VARCHAR(4), exchange TEXT, PRIMARY KEY (ticker, exchange));
CREATE TABLE empty_table ();
CREATE TABLE n (a INT NULL, b INT NOT NULL);

-- Drop
DROP STREAM clicks;
DROP STREAM IF EXISTS clicks, s.other, "Mixed";
DROP TABLE companies;
DROP TABLE IF EXISTS a, b;
DROP PUMP clicks_per_minute_pump;
DROP DELIVERY STREAM clicks_to_lake;
DROP VIDEO STREAM door_cam;
DROP FUNCTION f;

-- Insert
INSERT INTO clicks VALUES ('u1', 'http://x', 12.5, TIMESTAMP '2026-01-01 00:00:00');
INSERT INTO clicks VALUES ('u1', '/a', 1, NULL), ('u2', '/b', 2, NULL), ('u3', '/c', -3.5, NULL);
INSERT INTO clicks (user_id, url) VALUES ('u1', '/a');
INSERT INTO clicks (user_id, url) SELECT user_id, url FROM other WHERE latency > 10;
INSERT INTO clicks SELECT * FROM other;
INSERT INTO clicks (SELECT * FROM other);
INSERT INTO clicks VALUES ('u', '/', 1, NULL) RETURNING _shard_id, _sequence_number;
INSERT INTO clicks VALUES ('u', '/', 1, NULL) RETURNING *;
INSERT INTO clicks (user_id) VALUES ($1), ($2) RETURNING _sequence_number AS seq;
INSERT INTO "DESTINATION_SQL_STREAM" SELECT STREAM ticker_symbol, sector, change, price FROM "SOURCE_SQL_STREAM_001" WHERE sector SIMILAR TO '%TECH%';
INSERT INTO t WITH x AS (SELECT 1 AS a) SELECT a FROM x;
INSERT INTO t VALUES (1, 2), (3);

-- Copy
COPY clicks FROM STDIN;
COPY clicks FROM STDIN WITH (FORMAT csv, HEADER);
COPY clicks FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ',', NULL '', QUOTE '"', ESCAPE '"');
COPY clicks FROM STDIN WITH (FORMAT 'json', HEADER match);
COPY clicks (user_id, url) FROM '/tmp/clicks.csv' WITH (FORMAT csv);
COPY clicks FROM STDIN WITH CSV HEADER;
COPY clicks FROM STDIN WITH CSV HEADER DELIMITER ',' NULL 'null' QUOTE '"' ESCAPE '\';
COPY clicks FROM STDIN DELIMITER ',';
COPY clicks FROM STDIN CSV;
COPY clicks FROM STDIN BINARY;
COPY clicks FROM STDIN WITH DELIMITER AS '|' NULL AS '\N' ENCODING 'UTF8';
COPY clicks TO STDOUT;
COPY clicks TO '/tmp/out.csv' WITH (FORMAT csv, HEADER);
COPY (SELECT STREAM * FROM clicks) TO STDOUT;
COPY (SELECT STREAM * FROM clicks) TO STDOUT WITH (FORMAT csv);
COPY (SELECT a, b FROM t ORDER BY a LIMIT 10) TO STDOUT WITH CSV HEADER;
COPY door_cam FROM 'clip.mkv' WITH (FORMAT matroska);

-- Select: basics
SELECT 1;
SELECT 1, 2.5, 'x', NULL, TRUE, FALSE, X'0aFF', $1, .5, 1e10, 99999999999999999999999999999;
SELECT * FROM clicks;
SELECT clicks.* FROM clicks;
SELECT s.clicks.*, c.user_id FROM s.clicks AS c;
SELECT DISTINCT user_id FROM clicks;
SELECT ALL user_id FROM clicks;
SELECT user_id AS u, url "URL", latency l, event_time AS "from" FROM clicks;
SELECT 1 AS select, 2 AS from, 3 AS "Group";
SELECT * FROM clicks WHERE ROWTIME > now() - INTERVAL '10' MINUTE ORDER BY ROWTIME LIMIT 20;
SELECT _shard_id, count(*) FROM clicks GROUP BY _shard_id;
SELECT url, count(*) AS n FROM clicks GROUP BY url HAVING count(*) > 10 ORDER BY n DESC, url ASC NULLS LAST LIMIT 5 OFFSET 10;
SELECT * FROM clicks ORDER BY a NULLS FIRST, b DESC NULLS LAST, c ASC;
SELECT * FROM t LIMIT ALL;
SELECT * FROM t OFFSET 5 ROWS;
SELECT * FROM t OFFSET 5 LIMIT 3;
SELECT * FROM t FETCH FIRST 10 ROWS ONLY;
SELECT * FROM t FETCH NEXT ROW ONLY;
SELECT * FROM t ORDER BY a OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY;

-- Select: streams
SELECT STREAM user_id, url FROM clicks WHERE latency > 500;
SELECT STREAM * FROM clicks START AT TRIM_HORIZON;
SELECT STREAM * FROM clicks START AT LATEST;
SELECT STREAM * FROM clicks START AT TIMESTAMP '2026-01-01 00:00:00';
SELECT STREAM * FROM clicks START AT SEQUENCE '49590338271490256608559692538361571095921575989136588898';
SELECT STREAM * FROM clicks START AT AFTER SEQUENCE '4959';
SELECT STREAM * FROM clicks AS c START AT TRIM_HORIZON WHERE c.latency > 1;
SELECT STREAM * FROM clicks WHERE latency > 1 START AT LATEST;
SELECT STREAM ticker_symbol, COUNT(*) AS ticker_count FROM "SOURCE_SQL_STREAM_001" GROUP BY ticker_symbol, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND);
SELECT STREAM url, COUNT(*) FROM clicks GROUP BY url, STEP(clicks.ROWTIME BY INTERVAL '1' MINUTE);
SELECT STREAM url, count(*) FROM clicks GROUP BY url, FLOOR(clicks.ROWTIME TO MINUTE);
SELECT STREAM ticker_symbol, AVG(price) OVER (PARTITION BY ticker_symbol RANGE INTERVAL '1' MINUTE PRECEDING) AS avg_price FROM "SOURCE_SQL_STREAM_001";
SELECT STREAM k, SUM(x) OVER (PARTITION BY k ROWS 10 PRECEDING) FROM s;
SELECT STREAM k, SUM(x) OVER w, MAX(x) OVER w FROM s WINDOW w AS (PARTITION BY k RANGE INTERVAL '1' MINUTE PRECEDING);
SELECT STREAM k, SUM(x) OVER (w ORDER BY ts) FROM s WINDOW w AS (PARTITION BY k), w2 AS (ORDER BY ts ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);
SELECT sum(x) OVER (ORDER BY ts ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING), lag(x) OVER (), rank() OVER (ORDER BY x DESC) FROM s;
SELECT sum(x) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM s;
SELECT STREAM * FROM trades JOIN companies ON trades.ticker = companies.ticker;
SELECT STREAM o.id, s.ts FROM orders AS o JOIN shipments OVER (RANGE INTERVAL '1' HOUR PRECEDING) AS s ON o.id = s.order_id;
SELECT STREAM ROWTIME, s.ROWTIME, CURRENT_ROW_TIMESTAMP FROM s;
SELECT STREAM * FROM TABLE(RANDOM_CUT_FOREST(price, qty)) AS r;
SELECT * FROM generate_series(1, 10) AS g (n);
SELECT STREAM MONOTONIC(ROWTIME), TSDIFF(a, b), CHAR_TO_TIMESTAMP('yyyy', s), json_value(col, '$.a.b') FROM s;
SELECT count(DISTINCT user_id), count(ALL x), approx_count_distinct(user_id), count(*) FILTER (WHERE latency > 5) FROM clicks;
SELECT sum(x) FILTER (WHERE x > 0) OVER (PARTITION BY k) FROM t;

-- Select: joins and subqueries
SELECT * FROM a, b, c WHERE a.id = b.id;
SELECT * FROM a INNER JOIN b ON a.id = b.id LEFT JOIN c USING (id) RIGHT OUTER JOIN d ON TRUE FULL OUTER JOIN e ON e.x = a.x;
SELECT * FROM a LEFT OUTER JOIN b ON a.id = b.id CROSS JOIN c;
SELECT * FROM a NATURAL JOIN b NATURAL LEFT JOIN c;
SELECT * FROM a JOIN (b JOIN c ON b.id = c.id) ON a.id = b.id;
SELECT * FROM (a JOIN b ON a.id = b.id);
SELECT * FROM (SELECT 1 AS x) AS sub;
SELECT * FROM (SELECT 1 AS x) sub (y);
SELECT * FROM ((SELECT 1) UNION (SELECT 2)) AS u;
SELECT * FROM a, LATERAL (SELECT * FROM b WHERE b.id = a.id) AS l;
SELECT * FROM t AS x (a, b);
SELECT (SELECT max(x) FROM t) AS m, EXISTS (SELECT 1 FROM t) AS e;
SELECT * FROM t WHERE x IN (SELECT y FROM u) AND z NOT IN (1, 2, 3) AND NOT EXISTS (SELECT 1 FROM v WHERE v.id = t.id);
SELECT * FROM t WHERE (a, b) IN (SELECT a, b FROM u);
WITH x AS (SELECT 1 AS a), y (b) AS (SELECT a FROM x) SELECT * FROM y;
WITH RECURSIVE_IS_NOT_SUPPORTED AS (SELECT 1) SELECT * FROM recursive_is_not_supported;

-- Set operations and VALUES
SELECT 1 UNION SELECT 2;
SELECT 1 UNION ALL SELECT 2 UNION SELECT 3;
SELECT 1 UNION SELECT 2 INTERSECT SELECT 3;
SELECT 1 EXCEPT SELECT 2 EXCEPT ALL SELECT 3;
(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3;
SELECT a FROM t UNION SELECT b FROM u ORDER BY 1 LIMIT 3;
(SELECT 1 ORDER BY 1 LIMIT 1) UNION ALL (SELECT 2);
SELECT 1 UNION DISTINCT SELECT 2;
VALUES (1, 'a'), (2, 'b');
VALUES (1) ORDER BY 1;
SELECT * FROM (VALUES (1, 2), (3, 4)) AS v (a, b);

-- Expressions
SELECT 1 + 2 * 3 - 4 / 5 % 6 ^ 7, (1 + 2) * 3, -x, +x, - -1, -(-1), ~x, 2 ^ -1;
SELECT a || b || 'c', a ~ 'x', a ~* 'x', a !~ 'x', a !~* 'x', a & b | c, a = b, a <> b, a != b, a < b, a <= b, a > b, a >= b;
SELECT a AND b OR c AND NOT d, NOT (a OR b), (a OR b) AND c;
SELECT x IS NULL, x IS NOT NULL, x ISNULL, x NOTNULL, x IS TRUE, x IS NOT FALSE, x IS UNKNOWN, x IS NOT UNKNOWN;
SELECT x IS DISTINCT FROM y, x IS NOT DISTINCT FROM y + 1;
SELECT x BETWEEN 1 AND 10, x NOT BETWEEN a + 1 AND b * 2, x BETWEEN 1 AND 2 AND y;
SELECT x IN (1, 2), x NOT IN ('a'), x LIKE 'a%', x NOT LIKE 'a!%' ESCAPE '!', x ILIKE 'A%', x NOT ILIKE 'b', x SIMILAR TO '(a|b)%', x NOT SIMILAR TO 'c';
SELECT CASE WHEN a > 0 THEN 'pos' WHEN a < 0 THEN 'neg' ELSE 'zero' END, CASE a WHEN 1 THEN 'one' END;
SELECT CAST(x AS INTEGER), x::int, x::varchar(10), CAST('1' AS DECIMAL(10, 2)), x::pg_catalog.text, '{1,2}'::int[], x::double precision;
SELECT EXTRACT(YEAR FROM ts), EXTRACT(epoch FROM ts), EXTRACT('dow' FROM ts);
SELECT FLOOR(ts TO HOUR), CEIL(ts TO DAY), CEILING(ts TO SECOND), floor(1.5), ceil(x), STEP(ROWTIME BY INTERVAL '10' SECOND), step(x, y);
SELECT SUBSTRING(s FROM 2 FOR 3), SUBSTRING(s FROM 2), SUBSTRING(s FOR 3), substring(s, 1, 2), POSITION('b' IN s), POSITION(a || b IN s);
SELECT TRIM(s), TRIM(BOTH FROM s), TRIM(LEADING 'x' FROM s), TRIM(TRAILING FROM s), TRIM(BOTH 'xy' FROM s), trim(s, 'x'), TRIM(LEADING s);
SELECT OVERLAY(s PLACING 'ab' FROM 2 FOR 3), OVERLAY(s PLACING 'ab' FROM 2), overlay(s, 'x', 1);
SELECT TIMESTAMP '2026-01-01 00:00:00', DATE '2026-01-01', TIME '12:00:00', TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00', TIMESTAMP WITHOUT TIME ZONE '2026-01-01', int '1', bool 't';
SELECT INTERVAL '5' SECOND, INTERVAL '2 3:4:5.678' DAY TO SECOND, INTERVAL '1 hour', INTERVAL '1-2' YEAR TO MONTH, INTERVAL '10' MINUTE(3), INTERVAL '1.5' SECOND(2, 3), INTERVAL '1:2' HOUR TO MINUTE;
SELECT x COLLATE "C", x COLLATE pg_catalog.default, 'a' || 'b' COLLATE "C";
SELECT ARRAY[1, 2, 3], ARRAY[], a[1], a[i + 1][2], (ARRAY[1, 2])[1];
SELECT ROW(1, 2), ROW(1), ROW(), (1, 'a', NULL);
SELECT pg_catalog.format_type(a.atttypid, a.atttypmod), pg_catalog.pg_table_is_visible(c.oid), left('abc', 2), right(s, 1);
SELECT c.relname FROM pg_catalog.pg_class AS c WHERE c.relname OPERATOR(pg_catalog.~) '^(clicks)$' COLLATE pg_catalog.default AND pg_catalog.pg_table_is_visible(c.oid);
SELECT a OPERATOR(pg_catalog.=) b, a OPERATOR(+) b * c;
SELECT CURRENT_TIMESTAMP, CURRENT_TIMESTAMP(3), CURRENT_DATE, CURRENT_TIME, LOCALTIME, LOCALTIMESTAMP, CURRENT_USER, SESSION_USER, USER, CURRENT_SCHEMA, current_schema(), CURRENT_CATALOG;
SELECT E'tab\there', U&'d\0061t\+000061', $$dollar 'quoted'$$, $tag$x$tag$, 'it''s', 'back\slash';
SELECT "Mixed"."Case", "a""b", "select", _under, "1abc", "with space";
SELECT coalesce(a, b, 0), nullif(a, 0), greatest(a, b), least(a, b), "count"(x), s.f(1), a.b.c(d);
SELECT -1::int, (-1)::int, -x ^ 2, -(x ^ 2), (a + b)::text, a + b::text, NOT a IS NULL, (NOT a) IS NULL;
SELECT 1 = 1 = TRUE, (1 < 2) = (2 < 3), a IS NULL IS NULL, NOT NOT a;
SELECT x FROM t WHERE a = 1 AND (b = 2 OR c = 3) AND NOT d AND e IS NOT NULL;
SELECT $1::text, $2 + $3;
SELECT 'a' LIKE 'b' = TRUE, a LIKE b || c, a BETWEEN b AND c = d;

-- Session
SET search_path TO public, pg_catalog;
SET search_path = "$user", public;
SET extra_float_digits = 3;
SET application_name = 'psql';
SET LOCAL statement_timeout = 0;
SET SESSION datestyle TO ISO, MDY;
SET client_encoding TO DEFAULT;
SET TIME ZONE 'UTC';
SET TIME ZONE LOCAL;
SET TIME ZONE INTERVAL '+00:00' HOUR TO MINUTE;
SET x = on;
SET x = -1.5;
SHOW ALL;
SHOW search_path;
SHOW TIME ZONE;
SHOW TRANSACTION ISOLATION LEVEL;
SHOW server_version;
RESET ALL;
RESET search_path;
RESET TIME ZONE;
BEGIN;
BEGIN WORK;
BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY;
START TRANSACTION;
START TRANSACTION ISOLATION LEVEL SERIALIZABLE;
COMMIT;
COMMIT WORK;
END;
END TRANSACTION;
ROLLBACK;
ROLLBACK TRANSACTION;
ABORT;

-- Alter stream
ALTER STREAM clicks SET (retention = '7 days');
ALTER STREAM clicks SET (shards = 8);
ALTER STREAM clicks SPLIT SHARD 'shardId-000000000001' AT '127605887595351923798765477786913079296';
ALTER STREAM clicks SPLIT SHARD 'shardId-000000000001' AT 127605887595351923798765477786913079296;
ALTER STREAM s.clicks MERGE SHARDS 'shardId-000000000002', 'shardId-000000000003';

-- Pumps
CREATE OR REPLACE PUMP clicks_per_minute_pump STOPPED AS
  INSERT INTO clicks_per_minute (url, clicks)
  SELECT STREAM url, COUNT(*) FROM clicks
  GROUP BY url, STEP(clicks.ROWTIME BY INTERVAL '1' MINUTE);
CREATE PUMP p AS INSERT INTO out_stream SELECT STREAM * FROM clicks START AT TRIM_HORIZON;
CREATE PUMP p AS INSERT INTO out_stream (SELECT STREAM * FROM clicks);
ALTER PUMP clicks_per_minute_pump STOP;
ALTER PUMP clicks_per_minute_pump START;
ALTER PUMP "STREAM_PUMP" START;
DROP PUMP IF EXISTS clicks_per_minute_pump;
CREATE OR REPLACE PUMP "STREAM_PUMP" AS
   INSERT INTO "DESTINATION_SQL_STREAM"
     SELECT STREAM ROWTIME, TICKER_SYMBOL, COUNT(*) AS TICKER_COUNT
     FROM "SOURCE_SQL_STREAM_001"
     GROUP BY TICKER_SYMBOL, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '60' SECOND);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM ticker_symbol,
              AVG(price) OVER (PARTITION BY ticker_symbol RANGE INTERVAL '10' SECOND PRECEDING) AS avg_price
FROM "SOURCE_SQL_STREAM_001";
CREATE OR REPLACE PUMP "STREAM_PUMP" AS
  INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM
        EVENT_TIME,
        TICKER,
        COUNT(TICKER) AS ticker_count
    FROM "SOURCE_SQL_STREAM_001"
    WINDOWED BY STAGGER (
            PARTITION BY TICKER, EVENT_TIME RANGE INTERVAL '1' MINUTE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS
   INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM
       TICKER_SYMBOL,
       FLOOR(EVENT_TIME TO MINUTE),
       COUNT(*) AS TICKER_COUNT
      FROM "SOURCE_SQL_STREAM_001"
      WHERE price > 0
      WINDOWED BY STAGGER (
              PARTITION BY FLOOR(EVENT_TIME TO MINUTE), TICKER_SYMBOL RANGE INTERVAL '1' MINUTE);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "TEMP_STREAM"
SELECT STREAM "TICKER_SYMBOL", "SECTOR", "CHANGE", "PRICE", "ANOMALY_SCORE" FROM
  TABLE(RANDOM_CUT_FOREST(
    CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001")
  )
);
CREATE OR REPLACE PUMP "OUTPUT_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM * FROM "TEMP_STREAM"
ORDER BY FLOOR("TEMP_STREAM".ROWTIME TO SECOND), ANOMALY_SCORE DESC;
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM "heartRate", "ANOMALY_SCORE", "ANOMALY_EXPLANATION" FROM
  TABLE(RANDOM_CUT_FOREST_WITH_EXPLANATION(
    CURSOR(SELECT STREAM "heartRate" FROM "SOURCE_SQL_STREAM_001"), 100, 256, 100000, 1, true));
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM *
FROM TABLE (TOP_K_ITEMS_TUMBLING(
  CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"),
  'TICKER_SYMBOL',     -- name of column in single quotes
  5,                   -- number of the most frequently occurring values
  60                   -- tumbling window size in seconds
  )
);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM * FROM TABLE(COUNT_DISTINCT_ITEMS_TUMBLING(
  CURSOR(SELECT STREAM * FROM "SOURCE_SQL_STREAM_001"), 'column1', 10));
CREATE OR REPLACE PUMP "STREAM_PUMP" AS
    INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT "HOTSPOTS_RESULT" FROM TABLE (
        HOTSPOTS(
            CURSOR(SELECT STREAM "x", "y" FROM "SOURCE_SQL_STREAM_001"),
            1000,
            0.2,
            17)
    );
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM ROWTIME, o.orderId, o.ticker, o.amount AS orderAmount, t.amount AS tradeAmount
FROM OrderStream AS o
JOIN TradeStream OVER (RANGE INTERVAL '1' MINUTE PRECEDING) AS t
ON   o.orderId = t.orderId;
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
   SELECT STREAM ticker_symbol, "c"."Company", sector, change, price
   FROM "SOURCE_SQL_STREAM_001" LEFT JOIN "CompanyName" as "c"
   ON "SOURCE_SQL_STREAM_001".ticker_symbol = "c"."Ticker";
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM l.r.COLUMN1, l.r.COLUMN2, l.r.COLUMN3
    FROM (SELECT STREAM W3C_LOG_PARSE("log", 'COMMON') AS r FROM "SOURCE_SQL_STREAM_001") AS l;

-- Windows and joins (extensions)
SELECT STREAM k, COUNT(*) FROM s GROUP BY k, HOP(ts, INTERVAL '10' SECOND, INTERVAL '1' MINUTE);
SELECT STREAM k, COUNT(*) FROM s GROUP BY k, SESSION(ts, INTERVAL '30' SECOND);
SELECT STREAM * FROM orders OVER (ROWS 10 PRECEDING) AS o JOIN shipments OVER (RANGE INTERVAL '1' HOUR PRECEDING) AS s ON o.id = s.order_id;
SELECT STREAM * FROM orders AS o OVER (RANGE INTERVAL '1' HOUR PRECEDING) JOIN shipments AS s OVER (ROWS 5 PRECEDING) ON o.id = s.order_id;
SELECT STREAM * FROM orders OVER (PARTITION BY id RANGE INTERVAL '5' MINUTE PRECEDING) JOIN shipments ON orders.id = shipments.order_id;
SELECT STREAM * FROM s WINDOWED BY STAGGER (PARTITION BY k RANGE INTERVAL '1' MINUTE) START AT TRIM_HORIZON;
SELECT STREAM * FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM price, qty FROM trades))) AS r;
SELECT STREAM * FROM TABLE(f(CURSOR(WITH x AS (SELECT STREAM * FROM s) SELECT STREAM * FROM x), CURSOR((SELECT STREAM * FROM t))));
SELECT DISTINCT ON (user_id) user_id, url FROM clicks ORDER BY user_id, ROWTIME DESC;
SELECT DISTINCT ON (a, b + 1) * FROM t;
SELECT cursor, any, some, stagger, windowed FROM cursor AS any;

-- Quantified comparisons, ARRAY(subquery), AT TIME ZONE
SELECT * FROM t WHERE a = ANY (ARRAY[1, 2]) AND b <> ALL (SELECT x FROM u) AND c < SOME (SELECT y FROM v) AND d ~ ANY (pats);
SELECT c.relname FROM pg_catalog.pg_class AS c WHERE c.relkind = ANY (ARRAY['r', 'p', 'v']) AND c.relnamespace OPERATOR(pg_catalog.=) ANY (ARRAY[1, 2]);
SELECT a = ANY (b) = c, (a = ANY (b)) IS NULL, a + 1 >= ALL (b), a = ANY ((SELECT 1)), a = ANY ((1, 2)), any(x), x || any(y);
SELECT pg_catalog.array_to_string(ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum AS e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder), E'\n') AS "Elements" FROM pg_catalog.pg_type AS t;
SELECT r.rolname, ARRAY(SELECT b.rolname FROM pg_catalog.pg_auth_members AS m JOIN pg_catalog.pg_roles AS b ON (m.roleid = b.oid) WHERE m.member = r.oid) AS memberof FROM pg_catalog.pg_roles AS r;
SELECT now() AT TIME ZONE 'UTC', ts AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Paris', -x AT TIME ZONE z, a ^ b AT TIME ZONE z, (a ^ b) AT TIME ZONE z, (x AT TIME ZONE 'UTC') COLLATE "C", x AT TIME ZONE ('a' || 'b');

-- Tables: UPDATE, DELETE, DEFAULT
INSERT INTO companies VALUES ('AMZN', DEFAULT, 'RETAIL'), (DEFAULT, DEFAULT, DEFAULT);
INSERT INTO companies (ticker) VALUES (DEFAULT) RETURNING *;
UPDATE companies SET name = 'Amazon', sector = DEFAULT WHERE ticker = 'AMZN';
UPDATE companies AS c SET name = upper(c.name) RETURNING c.ticker, c.name;
UPDATE companies c SET name = NULL;
UPDATE ref.companies SET "Name" = $1 WHERE ticker = $2;
DELETE FROM companies WHERE ticker = 'AMZN';
DELETE FROM companies;
DELETE FROM companies AS c WHERE c.sector IS NULL RETURNING *;
DELETE FROM companies c RETURNING ticker;

-- Delivery streams
CREATE DELIVERY STREAM clicks_to_lake
  FROM clicks
  TO S3 (bucket = 'lake',
         prefix = 'clicks/!{timestamp:yyyy/MM/dd/HH}/',
         error_output_prefix = 'errors/!{firehose:error-output-type}/')
  WITH (buffer_size = '5 MB', buffer_interval = '60 seconds',
        format = 'jsonl',
        compression = 'gzip',
        backup = 'failed');
CREATE DELIVERY STREAM orders_to_pg FROM orders
  TO POSTGRES (dsn = 'host=127.0.0.1 port=5432 dbname=shop', table = 'orders');
CREATE DELIVERY STREAM logs_to_search FROM logs
  TO ELASTICSEARCH (url = 'http://127.0.0.1:9200', index = 'logs');
CREATE DELIVERY STREAM audit_to_hec FROM audit TO SPLUNK (url = 'https://splunk:8088', token = 'abc');
CREATE DELIVERY STREAM to_hook FROM events TO HTTP (url = 'http://127.0.0.1:8080/hook', access_key = 'k');
CREATE DELIVERY STREAM direct_put (msg VARCHAR(200), n INT NOT NULL) TO S3 (bucket = 'lake');
CREATE DELIVERY STREAM IF NOT EXISTS slow_clicks AS SELECT STREAM user_id, latency FROM clicks WHERE latency > 500 TO s3 (bucket = 'slow') WITH (format = csv);
CREATE DELIVERY STREAM d AS (SELECT STREAM * FROM clicks) TO Http;
ALTER DELIVERY STREAM clicks_to_lake SET (buffer_interval = '10 seconds');
DROP DELIVERY STREAM IF EXISTS clicks_to_lake;

-- Video streams
CREATE VIDEO STREAM door_cam WITH (retention = '24 hours', media_type = 'video/h264');
CREATE VIDEO STREAM IF NOT EXISTS garage_cam;
DROP VIDEO STREAM door_cam;

-- Cursors
DECLARE _psql_cursor NO SCROLL CURSOR FOR SELECT STREAM * FROM clicks;
DECLARE c BINARY SCROLL CURSOR WITH HOLD FOR SELECT 1;
DECLARE c CURSOR WITHOUT HOLD FOR VALUES (1);
DECLARE "C" CURSOR FOR (SELECT 1) UNION ALL (SELECT 2);
FETCH FORWARD 100 FROM _psql_cursor;
FETCH FORWARD 50 FROM c WITH (timeout = '2 seconds');
FETCH 10 IN c;
FETCH ALL FROM c;
FETCH FORWARD ALL c;
FETCH NEXT FROM c;
FETCH FORWARD FROM c;
FETCH c;
FETCH forward;
FETCH FROM forward WITH (timeout = '1 second');
CLOSE _psql_cursor;
CLOSE ALL;

-- Functions
CREATE FUNCTION add_one(x INTEGER) RETURNS INTEGER RETURN x + 1;
CREATE OR REPLACE FUNCTION f2c(f DOUBLE) RETURNS DOUBLE CONTAINS SQL RETURN (f - 32) * 5 / 9;
CREATE FUNCTION s.greet(name VARCHAR(20), greeting TEXT) RETURNS TEXT LANGUAGE SQL IMMUTABLE RETURN greeting || ', ' || name;
CREATE FUNCTION now_utc() RETURNS TIMESTAMP NOT DETERMINISTIC RETURN CURRENT_TIMESTAMP AT TIME ZONE 'UTC';
DROP FUNCTION IF EXISTS add_one;

-- Explain
EXPLAIN SELECT * FROM clicks;
EXPLAIN ANALYZE SELECT STREAM * FROM clicks;
EXPLAIN (ANALYZE, VERBOSE) SELECT 1;
EXPLAIN (ANALYZE false) SELECT 1;
EXPLAIN INSERT INTO t VALUES (1);
EXPLAIN CREATE PUMP p AS INSERT INTO o SELECT STREAM * FROM s;
EXPLAIN ANALYZE FETCH FORWARD 10 FROM c;
(SELECT 1);
"""#
