"""`make smoke`: the production topology on this machine, on loopback ports, checked through the proxy.

Starts nginx (Debian's, with deploy/nginx.conf rewritten for the ports below), two gunicorn processes
(deploy/gunicorn.conf.py) on PostgreSQL, a private Redis, the db_worker and an SMTP sink (aiosmtpd); then
plays an operator's and a user's session through nginx, one line per check, and closes with
`N passed, N failed`. Everything it started is stopped on exit, on failure and on CTRL-C.

The web processes reach PostgreSQL through a TCP relay of this script, which it cuts to make the database
unreachable without touching the machine's shared server. The requests come from CLIENT_ADDR and carry
the headers a TLS terminator in front of nginx would add (X-Forwarded-Proto: https).
"""
