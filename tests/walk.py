"""Moved to tests/helpers/walk.py. This alias stays only while test_fragments.py,
test_queries.py and test_csrf.py (up here, being reworked) import `.walk`; delete it with
their move."""

from tests.helpers.walk import fill, read_phrase, start_journal, walk  # noqa: F401
