"""The ground floor: what every app builds on, importing no app.

Languages, addresses, the content kit (YAML with lines, Markdown, shared types), the template
environment, HTTP middleware and compression, database helpers. The layers are written down in
`.importlinter` and checked by `make lint` and `make test`.
"""
