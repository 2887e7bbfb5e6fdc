"""The Server-Timing header of the benchmark (written by bench/middleware.py, read by the locustfile and
bench/quick.py): no Django here, so that locust's process needs none."""

HEADER = "Server-Timing"


def header(cpu_ms, sql_ms, queries):
    return f'cpu;dur={cpu_ms:.2f}, sql;dur={sql_ms:.2f}, queries;desc="{queries}"'


def parse(value):
    """{"cpu": ms, "sql": ms, "queries": n} from a Server-Timing header written above ({} if none)."""
    found = {}
    for metric in (value or "").split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        for param in params:
            key, _, given = param.partition("=")
            if key == "dur":
                found[name] = float(given)
            elif key == "desc" and name == "queries":
                found[name] = int(given.strip('"'))
    return found
