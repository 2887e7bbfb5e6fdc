from . import declarations, habilitations  # noqa: F401
