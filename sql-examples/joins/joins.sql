-- Reference tables, joins, subqueries, set operations, WITH and EXPLAIN
-- (bounded queries; see docs/sql-reference.md and docs/tables.md).

CREATE TABLE companies (
    ticker VARCHAR(8) PRIMARY KEY,
    name   VARCHAR NOT NULL,
    sector VARCHAR(16)
);
INSERT INTO companies VALUES ('AMZN', 'Amazon', 'Retail'), ('AAPL', 'Apple', 'Tech'), ('IBM', 'IBM', 'Tech');
\copy companies FROM 'companies.csv' WITH (FORMAT csv, HEADER)
UPDATE companies SET sector = 'Energy' WHERE ticker = 'XOM';
DELETE FROM companies WHERE ticker = 'NOPE';
INSERT INTO companies VALUES ('AAPL', 'Apple again', NULL);   -- 23505: the key exists

CREATE STREAM trades (ticker VARCHAR(8), price DOUBLE, qty INTEGER) WITH (shards = 2);
INSERT INTO trades VALUES ('AMZN', 100.5, 10), ('AAPL', 200, 5), ('AMZN', 101, 1), ('MSFT', 300, 7);

-- stream to table, inner and outer
SELECT t.ticker, c.name, t.price * t.qty AS value
  FROM trades t JOIN companies c ON t.ticker = c.ticker ORDER BY value DESC;
SELECT ticker, c.name, count(t.price) AS trades
  FROM companies c LEFT JOIN trades t USING (ticker) GROUP BY ticker, c.name ORDER BY ticker;

-- subqueries and set operations
SELECT name FROM companies WHERE ticker IN (SELECT ticker FROM trades) ORDER BY name;
SELECT ticker FROM trades EXCEPT SELECT ticker FROM companies;
WITH per_sector AS (SELECT sector, count(*) AS n FROM companies GROUP BY sector)
SELECT sector, n FROM per_sector WHERE n = (SELECT max(n) FROM per_sector);

EXPLAIN SELECT c.sector, sum(t.qty) FROM trades t JOIN companies c ON t.ticker = c.ticker GROUP BY c.sector;

\d companies

-- leave the server as it was found (the examples share one server)
DROP STREAM trades;
DROP TABLE companies;
