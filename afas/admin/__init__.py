from . import declarations, habilitations, reviews  # noqa: F401
