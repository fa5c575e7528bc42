"""Shared machinery of the Freshet benchmark suite (bench/run)."""
