-- The function catalogue: strings, regular expressions, numbers, time with Java date
-- patterns, JSON, aggregates, and a SQL function of your own.
SELECT initcap('hello wORLD') AS initcap, overlay('Txxxxas' PLACING 'hom' FROM 2 FOR 4) AS overlay,
       lpad('7', 3, '0') AS lpad, split_part('a,b,c', ',', -1) AS last_field;

-- KDA's REGEX_REPLACE(str, regex, replacement, startPosition, occurrence): 0 replaces every match.
SELECT regex_replace('2026-11-27', '(\d+)-(\d+)-(\d+)', '$3/$2/$1', 1, 0) AS european,
       regex_replace('a1b2c3', '[0-9]', '#', 1, 2) AS second_digit_only;

SELECT '10%' LIKE '10!%' ESCAPE '!' AS escaped, 'abc' SIMILAR TO '%(b|d)%' AS similar;

SELECT mod(-7, 3) AS mod, power(2, 10) AS power, sign(-2.5) AS sign, STEP(17 BY 5) AS step;

-- Time is UTC; Java SimpleDateFormat patterns as in Kinesis Data Analytics.
SELECT CHAR_TO_TIMESTAMP('dd/MMM/yyyy:HH:mm:ss Z', '10/Oct/2000:13:55:36 -0700') AS parsed,
       TIMESTAMP_TO_CHAR('EEE, d MMM yyyy HH:mm', TIMESTAMP '2024-02-29 13:45:00') AS formatted;
SELECT UNIX_TIMESTAMP(TIMESTAMP '2026-01-01 00:00:00') AS ms, TO_TIMESTAMP(1767225600123) AS ts,
       TSDIFF(TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-01-01 00:00:10') AS diff_ms,
       FLOOR(TIMESTAMP '2024-02-29 13:45:30' TO HOUR) AS hour;

SELECT json_value('{"order": {"id": 42, "items": [{"sku": "A-1"}]}}', '$.order.items[0].sku') AS sku,
       json_value('{"order": {"id": 42}}', '$.order.missing') AS missing;

CREATE STREAM readings (sensor VARCHAR(10), celsius DOUBLE, ok BOOLEAN) WITH (shards = 1);
INSERT INTO readings VALUES ('s1', 21.5, true), ('s2', 19, true), ('s1', 23, false), ('s2', NULL, true);

CREATE FUNCTION fahrenheit(c DOUBLE) RETURNS DOUBLE LANGUAGE SQL RETURN c * 9 / 5 + 32;

SELECT sensor, first_value(celsius) AS first, last_value(celsius) AS last, every(ok) AS all_ok,
       max(fahrenheit(celsius)) AS max_f, approx_count_distinct(celsius) AS distinct_readings
  FROM readings GROUP BY sensor ORDER BY sensor;

-- Recursion is refused when the function is created.
CREATE FUNCTION loop(n INTEGER) RETURNS INTEGER RETURN loop(n - 1);

DROP FUNCTION fahrenheit;
DROP STREAM readings;
