from . import declarations, habilitations, imports, notifications, reviews  # noqa: F401
