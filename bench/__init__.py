"""Benchmarks (scripts, not tests): `python -m bench.broadcast`, `python -m bench.scheduler`."""
