"""The server's own cost of each request, for the benchmark only (bench/settings.py puts it first; the
production settings never load it): a `Server-Timing` header with the CPU time of the worker process
(time.process_time, so neither PostgreSQL's work nor the time spent waiting for it), the number of SQL
queries and the time spent in them, e.g. `cpu;dur=6.21, sql;dur=1.40, queries;desc="3"`."""

import time

from django.db import connections

from bench.timing import HEADER, header


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counted = {"queries": 0, "seconds": 0.0}

        def count(execute, sql, params, many, context):
            counted["queries"] += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                counted["seconds"] += time.perf_counter() - started

        started = time.process_time()
        with connections["default"].execute_wrapper(count):
            response = self.get_response(request)
        cpu_ms = (time.process_time() - started) * 1000
        response[HEADER] = header(cpu_ms, counted["seconds"] * 1000, counted["queries"])
        return response
