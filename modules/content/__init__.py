"""Module content: the schema, the loader and the library of every module in every language."""

from .library import Library, get_library, load_library
from .loader import ContentError, Problem

__all__ = ["ContentError", "Library", "Problem", "get_library", "load_library"]
