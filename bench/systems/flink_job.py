"""Runs one Flink SQL job (PyFlink Table API, local mini-cluster, streaming mode,
parallelism 1) over the suite's events CSV and prints a JSON line of timings.
Started by systems/flink.py with the Python of the Flink virtual environment.

    flink_job.py tumbling|sliding|noop CSV_PATH

The CSV columns are k, ts (event time), sec (epoch seconds), v; the source declares a
watermark on ts (rows arrive in ts order), the sink is `blackhole` so only the query
itself is measured. `noop` scans the same file into the sink without aggregating."""
import json
import sys
import time

from pyflink.table import EnvironmentSettings, TableEnvironment

QUERIES = {
    "tumbling": """
        INSERT INTO out_tumbling
        SELECT k, window_start, COUNT(*), SUM(v)
        FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '1' SECOND))
        GROUP BY k, window_start, window_end""",
    "sliding": """
        INSERT INTO out_sliding
        SELECT k, ts, AVG(v) OVER (PARTITION BY k ORDER BY ts
                                   RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW)
        FROM ev""",
    "noop": "INSERT INTO out_noop SELECT k, ts, v FROM ev",
}


def main():
    mode, path = sys.argv[1], sys.argv[2]
    t_start = time.perf_counter()
    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    conf = env.get_config()
    conf.set("parallelism.default", "1")
    conf.set("table.exec.resource.default-parallelism", "1")
    env.execute_sql(f"""
        CREATE TABLE ev (k STRING, ts TIMESTAMP(3), sec BIGINT, v DOUBLE,
                         WATERMARK FOR ts AS ts)
        WITH ('connector' = 'filesystem', 'path' = 'file://{path}', 'format' = 'csv')""")
    env.execute_sql("CREATE TABLE out_tumbling (k STRING, w TIMESTAMP(3), n BIGINT, s DOUBLE) "
                    "WITH ('connector' = 'blackhole')")
    env.execute_sql("CREATE TABLE out_sliding (k STRING, ts TIMESTAMP(3), a DOUBLE) WITH ('connector' = 'blackhole')")
    env.execute_sql("CREATE TABLE out_noop (k STRING, ts TIMESTAMP(3), v DOUBLE) WITH ('connector' = 'blackhole')")
    t_ready = time.perf_counter()
    result = env.execute_sql(QUERIES[mode])
    result.wait()
    t_done = time.perf_counter()
    # Flink's own net runtime of the job (from its start on the cluster to its end),
    # without the JVM and mini-cluster start-up that the wall time includes
    net_ms = result.get_job_client().get_job_execution_result().result().get_net_runtime()
    print(json.dumps({"mode": mode, "setup_s": t_ready - t_start, "job_s": t_done - t_ready,
                      "net_runtime_s": net_ms / 1000}), flush=True)


if __name__ == "__main__":
    main()
