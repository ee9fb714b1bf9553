"""Benchmarks: `make bench` runs every `bench_*.py` module here, prints a table and writes
`benchmarks/results.json` (figure name → value; `_s` seconds, `_ms` milliseconds, `_mb`
megabytes)."""
