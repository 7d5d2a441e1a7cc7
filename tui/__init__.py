"""Gloss: read and annotate news articles in the terminal."""

import importlib.util
import sys

__version__ = "0.1.0"  # the one version: pyproject.toml reads it, `gloss --version` prints it

# The distribution's name on the package index (the import package is `tui`, the command
# `gloss`): what an install hint names.
DISTRIBUTION = "gloss-annotator"

# Every save locks its article with fcntl.flock: without POSIX locks two analysts' saves
# could interleave. One line, rather than an ImportError deep in a traceback.
if importlib.util.find_spec("fcntl") is None:
    sys.exit("gloss: Gloss runs on Linux and macOS (it locks files the POSIX way, with"
             " fcntl); on Windows, run it in WSL")
