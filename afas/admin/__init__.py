from . import declarations, habilitations, imports, reviews  # noqa: F401
