"""The figures of a wrk run come from the line bench/wrk.lua prints at the end."""

from __future__ import annotations

import pytest

from bench.load import WrkOutputError, parse_wrk

OK_RUN = """\
Running 10s test @ http://127.0.0.1:8765/nat01/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    82.13ms   20.07ms 240.31ms   71.20%
    Req/Sec    48.57      9.13    70.00     69.00%
  972 requests in 10.01s, 9.51MB read
Requests/sec:     97.11
Transfer/sec:      0.95MB
BENCH_JSON {"requests": 972, "duration_us": 10009000, "bytes": 9971200, "non2xx": 0, \
"statuses": "", "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0}, \
"latency_us": {"min": 40100, "mean": 82130.4, "max": 240310, "p50": 78250, "p90": 108400, \
"p95": 121070, "p99": 171990}}
"""

REDIRECTED_RUN = """\
Running 2s test @ http://127.0.0.1:8765/nat01/
BENCH_JSON {"requests": 4424, "duration_us": 2099901, "bytes": 2300480, "non2xx": 4424, \
"statuses": "302 302 ", "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, \
"timeout": 0}, "latency_us": {"min": 109, "mean": 2226.3, "max": 15894, "p50": 1192, \
"p90": 5252, "p95": 6853, "p99": 9318}}
"""


def test_throughput_and_percentiles_are_read_in_milliseconds():
    run = parse_wrk(OK_RUN)
    assert run["requests"] == 972
    assert run["rps"] == pytest.approx(97.11, abs=0.01)
    assert (run["p50_ms"], run["p95_ms"], run["p99_ms"]) == (78.25, 121.07, 171.99)
    assert run["ok"] is True
    assert run["non2xx"] == 0


def test_answers_that_are_not_2xx_fail_the_run_with_their_status():
    # wrk itself counts only 4xx/5xx: a redirect to the login page would look like a success.
    run = parse_wrk(REDIRECTED_RUN)
    assert run["ok"] is False
    assert run["non2xx"] == 4424
    assert run["statuses"] == [302]


def test_socket_errors_and_timeouts_fail_the_run():
    text = OK_RUN.replace('"read": 0', '"read": 3').replace('"timeout": 0', '"timeout": 2')
    run = parse_wrk(text)
    assert run["ok"] is False
    assert (run["socket_errors"], run["timeouts"]) == (5, 2)


def test_an_output_without_the_summary_line_is_an_error():
    with pytest.raises(WrkOutputError, match="no BENCH_JSON line"):
        parse_wrk("unable to connect to 127.0.0.1:8765 Connection refused\n")
