-- Analytic table functions (Kinesis Data Analytics): TABLE(f(CURSOR(SELECT STREAM …))).
-- Read from the start of the streams (START AT TRIM_HORIZON) so every run gives the same output;
-- the random cut forest uses fixed seeds, so its scores repeat too.
CREATE STREAM readings (x DOUBLE, y DOUBLE) WITH (shards = 1);
INSERT INTO readings VALUES
  (0.0, 0.0), (3.7, 5.3), (7.4, 0.9), (1.1, 6.2), (4.8, 1.8), (8.5, 7.1), (2.2, 2.7), (5.9, 8.0),
  (9.6, 3.6), (3.3, 8.9), (7.0, 4.5), (0.7, 0.1), (4.4, 5.4), (8.1, 1.0), (1.8, 6.3), (5.5, 1.9),
  (9.2, 7.2), (2.9, 2.8), (6.6, 8.1), (0.3, 3.7), (4.0, 9.0), (7.7, 4.6), (1.4, 0.2), (5.1, 5.5),
  (8.8, 1.1), (2.5, 6.4), (6.2, 2.0), (9.9, 7.3), (3.6, 2.9), (7.3, 8.2), (1.0, 3.8), (4.7, 9.1),
  (8.4, 4.7), (2.1, 0.3), (5.8, 5.6), (9.5, 1.2), (3.2, 6.5), (6.9, 2.1), (0.6, 7.4), (4.3, 3.0),
  (8.0, 8.3), (1.7, 3.9), (5.4, 9.2), (9.1, 4.8), (2.8, 0.4), (6.5, 5.7), (0.2, 1.3), (3.9, 6.6),
  (7.6, 2.2), (1.3, 7.5), (5.0, 3.1), (8.7, 8.4), (2.4, 4.0), (6.1, 9.3), (9.8, 4.9), (3.5, 0.5),
  (7.2, 5.8), (0.9, 1.4), (4.6, 6.7), (8.3, 2.3);
INSERT INTO readings VALUES (40, -30);

-- RANDOM_CUT_FOREST(cursor, numberOfTrees, subSampleSize): rows score 0 until the 16-point
-- samples are full, then about 1 for ordinary points.
SELECT STREAM x, y, ANOMALY_SCORE
  FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM x, y FROM readings START AT TRIM_HORIZON), 50, 16))
  LIMIT 20;

-- WHERE around the function: the far point stands out.
SELECT STREAM x, y, ANOMALY_SCORE
  FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM x, y FROM readings START AT TRIM_HORIZON), 50, 16))
  WHERE ANOMALY_SCORE > 2.5
  LIMIT 1;

-- Why it stands out: x is high, y is low.
SELECT STREAM x, y, ANOMALY_SCORE, ANOMALY_EXPLANATION
  FROM TABLE(RANDOM_CUT_FOREST_WITH_EXPLANATION(
         CURSOR(SELECT STREAM x, y FROM readings START AT TRIM_HORIZON), 50, 16, 100000, 1, TRUE)) AS f
  WHERE f.x = 40
  LIMIT 1;

-- Arguments are checked: 42883 for the wrong number, 22023 for a value out of range.
SELECT STREAM * FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM x FROM readings), 1, 2, 3, 4, 5));
SELECT STREAM * FROM TABLE(RANDOM_CUT_FOREST(CURSOR(SELECT STREAM x FROM readings), 5000));

-- HOTSPOTS(cursor, windowSize, scanRadius, minimumDensity), as in Kinesis Data Analytics:
-- every fourth place is in [2, 2.5] x [7, 7.5]; points there are about 0.1 apart.
CREATE STREAM places (x DOUBLE, y DOUBLE) WITH (shards = 1);
INSERT INTO places VALUES
  (2.0, 7.0), (3.7, 5.3), (7.4, 0.9), (1.1, 6.2), (2.4, 7.1), (8.5, 7.1), (2.2, 2.7), (5.9, 8.0),
  (2.3, 7.2), (3.3, 8.9), (7.0, 4.5), (0.7, 0.1), (2.2, 7.3), (8.1, 1.0), (1.8, 6.3), (5.5, 1.9),
  (2.1, 7.4), (2.9, 2.8), (6.6, 8.1), (0.3, 3.7), (2.0, 7.0), (7.7, 4.6), (1.4, 0.2), (5.1, 5.5),
  (2.4, 7.1), (2.5, 6.4), (6.2, 2.0), (9.9, 7.3), (2.3, 7.2), (7.3, 8.2), (1.0, 3.8), (4.7, 9.1),
  (2.2, 7.3), (2.1, 0.3), (5.8, 5.6), (9.5, 1.2), (2.1, 7.4), (6.9, 2.1), (0.6, 7.4), (4.3, 3.0),
  (2.0, 7.0), (1.7, 3.9), (5.4, 9.2), (9.1, 4.8), (2.4, 7.1), (6.5, 5.7), (0.2, 1.3), (3.9, 6.6),
  (2.3, 7.2), (1.3, 7.5), (5.0, 3.1), (8.7, 8.4), (2.2, 7.3), (6.1, 9.3), (9.8, 4.9), (3.5, 0.5),
  (2.1, 7.4), (0.9, 1.4), (4.6, 6.7), (8.3, 2.3), (2.0, 7.0), (5.7, 3.2), (9.4, 8.5), (3.1, 4.1),
  (2.4, 7.1), (0.5, 5.0), (4.2, 0.6), (7.9, 5.9), (2.3, 7.2), (5.3, 6.8), (9.0, 2.4), (2.7, 7.7),
  (2.2, 7.3), (0.1, 8.6), (3.8, 4.2), (7.5, 9.5), (2.1, 7.4), (4.9, 0.7), (8.6, 6.0), (2.3, 1.6),
  (2.0, 7.0), (9.7, 2.5), (3.4, 7.8), (7.1, 3.4), (2.4, 7.1), (4.5, 4.3), (8.2, 9.6), (1.9, 5.2),
  (2.3, 7.2), (9.3, 6.1), (3.0, 1.7), (6.7, 7.0), (2.2, 7.3), (4.1, 7.9), (7.8, 3.5), (1.5, 8.8),
  (2.1, 7.4), (8.9, 0.0), (2.6, 5.3), (6.3, 0.9), (2.0, 7.0), (3.7, 1.8), (7.4, 7.1), (1.1, 2.7),
  (2.4, 7.1), (8.5, 3.6), (2.2, 8.9), (5.9, 4.5), (2.3, 7.2), (3.3, 5.4), (7.0, 1.0), (0.7, 6.3),
  (2.2, 7.3), (8.1, 7.2), (1.8, 2.8), (5.5, 8.1), (2.1, 7.4), (2.9, 9.0), (6.6, 4.6), (0.3, 0.2);
INSERT INTO places VALUES (2.25, 7.25);

SELECT STREAM HOTSPOTS_RESULT
  FROM TABLE(HOTSPOTS(CURSOR(SELECT STREAM x, y FROM places START AT TRIM_HORIZON), 100, 0.5, 10))
  WHERE x = 2.25 AND y = 7.25
  LIMIT 1;

-- TOP_K_ITEMS_TUMBLING and COUNT_DISTINCT_ITEMS_TUMBLING: one INSERT has one ROWTIME, so its
-- rows share a one-second window, which closes (and is emitted) when that second is over.
CREATE STREAM clicks (url VARCHAR(16)) WITH (shards = 1);
INSERT INTO clicks VALUES ('/a'), ('/b'), ('/a'), ('/c'), ('/a'), ('/b'), ('/d');

SELECT STREAM ITEM, ITEM_COUNT
  FROM TABLE(TOP_K_ITEMS_TUMBLING(CURSOR(SELECT STREAM * FROM clicks START AT TRIM_HORIZON), 'url', 2, 1))
  LIMIT 2;

SELECT STREAM NUMBER_OF_DISTINCT_ITEMS
  FROM TABLE(COUNT_DISTINCT_ITEMS_TUMBLING(CURSOR(SELECT STREAM url FROM clicks START AT TRIM_HORIZON), 'url', 1))
  LIMIT 1;

DROP STREAM readings;
DROP STREAM places;
DROP STREAM clicks;
