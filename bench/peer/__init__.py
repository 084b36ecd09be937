"""The peer: Baken's module step built the conventional Django way, as a baseline for `make bench`.

The same page (a step's prose, callouts and questions, with the visitor's saved answers in the
fields), served by the same gunicorn, but built as a Django tutorial would build it: the
Django template language, a `forms.Form` with the saved answers as initial values, the ORM,
`django.contrib.sessions` with its database backend, and the middleware a conventional site
has. The answers are stored and decrypted as Baken's are (journal.crypto: AES-GCM, one
nonce-prefixed blob per answer under a keyed slot, JSON inside); the session holds the
journal's 64 bytes of key material as plain base64 (Baken wraps them with a key from the
cookie). It has its own database, seeded by `python -m bench.peer.seed`. GET only: a save is
compared with the frame, not with the peer.
"""
