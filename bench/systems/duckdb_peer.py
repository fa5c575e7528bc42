"""DuckDB (PyPI `duckdb`, in process, one thread): the vectorized batch reference for
the window workloads. Loads the events CSV into a table once, then times queries that
materialize their result into a temporary table (so nothing is pruned)."""
import time


class DuckDB:
    name = "duckdb"

    def __init__(self, csv, threads=1):
        import duckdb
        self.label = f"DuckDB {duckdb.__version__} batch, {threads} thread"
        self.con = duckdb.connect()
        self.con.execute(f"SET threads = {threads}")
        t0 = time.perf_counter()
        self.con.execute(f"""CREATE TABLE ev AS SELECT * FROM read_csv('{csv}', header = false,
            columns = {{'k': 'VARCHAR', 'ts': 'TIMESTAMP', 'sec': 'BIGINT', 'v': 'DOUBLE'}})""")
        self.load_s = time.perf_counter() - t0
        self.rows = self.con.execute("SELECT count(*) FROM ev").fetchone()[0]

    def timed(self, select_sql):
        """Seconds to run `select_sql` into a temporary table, and its row count."""
        t0 = time.perf_counter()
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE out AS {select_sql}")
        dt = time.perf_counter() - t0
        return dt, self.con.execute("SELECT count(*) FROM out").fetchone()[0]

    def scalar(self, sql):
        return self.con.execute(sql).fetchone()[0]

    def close(self):
        self.con.close()
