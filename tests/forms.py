"""Moved to tests/helpers/forms.py. This alias stays only while test_fragments.py and
test_queries.py (up here, being reworked) import `.forms`; delete it with their move."""

from tests.helpers.forms import Form, element_ids, forms, the_form  # noqa: F401
