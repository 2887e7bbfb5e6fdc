"""A picture of the whole database, to prove that a request changed nothing."""

from django.apps import apps

# Rows a request may legitimately rewrite without changing any data: the session it carries, the
# sign-in bookkeeping. Their row COUNTS are still compared.
VALUES_IGNORED = {"sessions.session", "accounts.usersession", "axes.accesslog"}
FIELDS_IGNORED = {"accounts.user": {"last_login", "previous_login"}}


def all_models():
    return [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]


def row_counts():
    return {model._meta.label_lower: model._default_manager.count() for model in all_models()}


def snapshot():
    """Row counts of every table, and every value of every table but the session bookkeeping."""
    picture = {}
    for model in all_models():
        label = model._meta.label_lower
        if label in VALUES_IGNORED:
            picture[label] = model._default_manager.count()
            continue
        ignored = FIELDS_IGNORED.get(label, set())
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in ignored]
        picture[label] = list(model._default_manager.order_by("pk").values_list(*fields))
    return picture


def differences(before, after, bookkeeping=True):
    """Tables that differ; with bookkeeping=False, sessions opened or closed (sign-in, sign-out) don't count."""
    return sorted(
        label
        for label in before
        if before[label] != after[label] and (bookkeeping or label not in VALUES_IGNORED)
    )
