from . import declarations, habilitations, notifications, reviews  # noqa: F401
