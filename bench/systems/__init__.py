"""The systems the suite measures. Each server system has `start()`/`stop()`, a `pid`
(for memory and CPU), `env` (libpq variables for psql/pgbench) and `psql(sql)`;
embedded peers (DuckDB, Flink) are driven in process or by a subprocess."""
