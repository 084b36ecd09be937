"""Module content: the blocks, the schema, the loader and the library of every module."""

from core.content import ContentError, Problem

from .library import Library, get_library, load_library

__all__ = ["ContentError", "Library", "Problem", "get_library", "load_library"]
