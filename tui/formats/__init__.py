"""Interchange formats, one module a format (``tui/interchange.py`` is their registry and
the import and export built on them). A format module imports no other format, and
nothing here imports the registry: each stands alone."""
