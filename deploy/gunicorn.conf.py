"""gunicorn settings of the web processes (docker-compose.yml, deploy/smoke/): `gunicorn -c
deploy/gunicorn.conf.py portal.wsgi:application`. Logs go to stderr (the container's log)."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
# Under the proxy's keepalive (nginx keeps upstream connections open).
keepalive = 75
# Recycle workers now and then: a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200

accesslog = "-"
errorlog = "-"
# One line per request: who (the proxy's address and the X-Forwarded-For it passed), what, status, size,
# duration in milliseconds and the request id nginx set (the same id as in the portal's JSON logs).
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(b)s duration_ms=%(M)s request_id=%({x-request-id}i)s '
    'forwarded_for="%({x-forwarded-for}i)s" served_by=' + os.environ.get("INSTANCE_ID", "-")
)
# The proxy is on another host (container): its X-Forwarded-* are what Django reads.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
# No control socket in $HOME: several gunicorn on one host (make smoke, a bench) would share one path.
control_socket_disable = True
