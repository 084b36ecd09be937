"""`make bench`: the production server under load, on SQLite and PostgreSQL.

See docs/performance.md.
"""
