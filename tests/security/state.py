"""What a request did to the database: row counts of every table, and the tables it wrote to."""

import re

from django.apps import apps

# A request may rewrite these without changing any data: the session it carries (idle timer, sign-in,
# sign-out) and the sign-in log.
BOOKKEEPING_TABLES = {"django_session", "accounts_usersession", "axes_accesslog"}
WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


def row_counts():
    models = [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]
    return {model._meta.label_lower: model._default_manager.count() for model in models}


def tables_written(captured_queries, bookkeeping=True):
    """Tables an INSERT, UPDATE or DELETE touched, from django's CaptureQueriesContext; with
    bookkeeping=False, writes to BOOKKEEPING_TABLES don't count."""
    tables = set()
    for query in captured_queries:
        match = WRITE.match(query["sql"])
        if match and (bookkeeping or match.group(2) not in BOOKKEEPING_TABLES):
            tables.add(match.group(2))
    return sorted(tables)
