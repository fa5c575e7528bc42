-- Window functions (OVER) in a bounded SELECT, as in PostgreSQL, and a sliding window of a
-- SELECT STREAM ordered by the stream's event time.
CREATE TABLE staff (id INTEGER PRIMARY KEY, dept TEXT, name TEXT, salary INTEGER);
INSERT INTO staff VALUES (1, 'eng', 'ann', 100), (2, 'eng', 'bob', 120), (3, 'eng', 'cid', 120),
                         (4, 'ops', 'eve', 80), (5, 'ops', 'gus', 95), (6, 'sales', 'hal', 70);

-- Ranking within each department, the next salary down, and the department's share.
SELECT dept, name, salary,
       rank() OVER w AS rank, dense_rank() OVER w AS dense,
       lead(salary) OVER w AS next_lower,
       round(100.0 * salary / sum(salary) OVER (PARTITION BY dept), 1) AS pct_of_dept
  FROM staff
WINDOW w AS (PARTITION BY dept ORDER BY salary DESC)
 ORDER BY dept, rank, name;

-- Frames: a running total (default frame: up to the current row's peers) and a moving
-- average of the row before, the row and the row after.
SELECT id, salary,
       sum(salary) OVER (ORDER BY id) AS running,
       avg(salary) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS moving_avg
  FROM staff ORDER BY id;

-- Over grouped rows: each department's headcount and its share of all staff.
SELECT dept, count(*) AS n, sum(count(*)) OVER () AS total,
       rank() OVER (ORDER BY sum(salary) DESC) AS payroll_rank
  FROM staff GROUP BY dept ORDER BY dept;

-- A stream read as a table: the average over the preceding minute of event time.
CREATE STREAM quotes (sym TEXT, px INTEGER, ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) WITH (shards = 1);
INSERT INTO quotes VALUES ('A', 10, '2026-01-01 10:00:00'), ('A', 12, '2026-01-01 10:00:30'),
                          ('A', 20, '2026-01-01 10:01:20'), ('A', 11, '2026-01-01 10:01:17'),
                          ('A', 30, '2026-01-01 10:03:00');
SELECT sym, ts, px, avg(px) OVER (PARTITION BY sym ORDER BY ts RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW) AS avg_1m
  FROM quotes ORDER BY ts;

-- The same window as a continuous query: rows are windowed in event-time order as the
-- watermark (largest ts − 5 s) passes them: 10:01:17, which came after 10:01:20 but within
-- the delay, is windowed before it; 10:03:00 waits for a later row.
SELECT STREAM sym, ts, px, avg(px) OVER (PARTITION BY sym ORDER BY ts RANGE INTERVAL '1' MINUTE PRECEDING) AS avg_1m
  FROM quotes START AT TRIM_HORIZON LIMIT 4;

-- Misuse is refused as PostgreSQL refuses it.
SELECT name FROM staff WHERE row_number() OVER (ORDER BY id) > 1;

DROP STREAM quotes;
DROP TABLE staff;
