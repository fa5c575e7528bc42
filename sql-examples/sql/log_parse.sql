-- Log parsing: the row-valued functions of Kinesis Data Analytics, read as alias.row.COLUMNn
-- from a FROM subquery; and APPROX_PERCENTILE over the parsed fields.
CREATE TABLE access_log (line TEXT);
INSERT INTO access_log VALUES
  ('203.0.113.7 - alice [27/Nov/2026:06:00:01 +0000] "GET /index.html HTTP/1.1" 200 5120'),
  ('198.51.100.23 - - [27/Nov/2026:06:00:02 +0000] "GET /missing.png HTTP/1.1" 404 -'),
  ('203.0.113.7 - alice [27/Nov/2026:06:00:03 +0000] "POST /api/orders HTTP/1.1" 201 312'),
  ('this line is not in the common log format'),
  ('192.0.2.44 - - [27/Nov/2026:06:00:05 +0000] "GET /index.html HTTP/1.1" 500 0');

-- Apache common log format: a line that does not fit gives NULL fields.
SELECT l.r.COLUMN1 AS host, l.r.COLUMN3 AS usr, l.r.COLUMN5 AS request, l.r.COLUMN6 AS status, l.r.COLUMN7 AS bytes
FROM (SELECT W3C_LOG_PARSE(line, 'COMMON') FROM access_log) AS l(r);

-- The fields are typed (status INTEGER, bytes BIGINT): filter and aggregate them.
SELECT l.r.COLUMN6 / 100 AS class, count(*) AS requests, sum(l.r.COLUMN7) AS bytes,
       APPROX_PERCENTILE(l.r.COLUMN7, 0.5) AS median_bytes
FROM (SELECT W3C_LOG_PARSE(line, 'COMMON') AS r FROM access_log) AS l
WHERE l.r.COLUMN6 IS NOT NULL GROUP BY l.r.COLUMN6 / 100 ORDER BY class;

-- A regular expression: one column per group (the whole line must match).
SELECT t.r.* FROM (SELECT REGEX_LOG_PARSE(line, '(\S+) .*"(GET|POST) (\S+) .*') AS r FROM access_log) AS t
WHERE t.r.COLUMN1 IS NOT NULL;

-- Delimited and fixed-width lines, with named, typed columns.
SELECT v.r.sku, v.r.qty * 2 AS doubled, v.r.note
FROM (SELECT VARIABLE_COLUMN_LOG_PARSE('A-17|3|"fragile|glass"', 'sku TYPE VARCHAR(8), qty TYPE INTEGER, note TYPE VARCHAR(20)', '|', '\', '"') AS r) AS v;
SELECT f.r.* FROM (SELECT FIXED_COLUMN_LOG_PARSE('WARN 0042 disk nearly full', 'level TYPE VARCHAR(5) START 0 FOR 5, code TYPE INTEGER START 5 FOR 4, msg TYPE VARCHAR(40) START 10') AS r) AS f;

-- syslog (RFC 3164): the time (in the current year) and the rest of the line.
SELECT TIMESTAMP_TO_CHAR('MM-dd HH:mm:ss', s.r.COLUMN1) AS at, s.r.COLUMN2 AS message
FROM (SELECT SYS_LOG_PARSE('Nov 27 06:00:09 web01 sshd[812]: Accepted publickey for deploy') AS r) AS s;

-- Continuous: parse a stream of lines, keep the server errors.
CREATE STREAM weblog (log TEXT) WITH (shards = 1);
INSERT INTO weblog SELECT line FROM access_log;
SELECT STREAM l.r.COLUMN1 AS host, l.r.COLUMN5 AS request, l.r.COLUMN6 AS status
FROM (SELECT STREAM W3C_LOG_PARSE(log, 'COMMON') FROM weblog) AS l(r) START AT TRIM_HORIZON
WHERE l.r.COLUMN6 >= 400 LIMIT 2;

-- Only a function's fields can be read; the row itself is not a value.
SELECT W3C_LOG_PARSE(line, 'COMMON') FROM access_log;
SELECT l.r.COLUMN8 FROM (SELECT W3C_LOG_PARSE(line, 'COMMON') FROM access_log) AS l(r);

DROP STREAM weblog;
DROP TABLE access_log;
