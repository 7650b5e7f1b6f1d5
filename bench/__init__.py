"""The load benchmark of issue #7 (``make bench``): the harness (``bench.run``), the floor view
it compares every page with, the wrk script and the report (``BENCHMARKS.md``)."""
