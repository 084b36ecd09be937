"""All of Baken's cryptography, in one place. Views never touch a cipher.

A journal is opened by its recovery phrase (7 words drawn with a CSPRNG):

    stretched = Argon2id(phrase, salt=KDF_SALT)                  memory-hard (Kdf below)
    lookup_id = HMAC-SHA256(lookup pepper, HKDF(stretched, "lookup id"))   finds the row
    material  = HKDF-SHA256(HKDF(stretched, "key"), salt=key pepper)       never stored
                → encryption key (AES-256-GCM) + slot key (HMAC)

Each answer is stored under slot = HMAC(slot key, answer id), as
nonce ‖ AES-256-GCM(key, nonce, {"id", "v"}, associated data = version ‖ lookup id ‖ slot),
so a ciphertext cannot be moved to another journal or another answer. In the session, the
key material is wrapped (AES-256-GCM) by a key derived from the session cookie's value, which
the database does not hold (it stores only a hash of it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from . import wordlists

VERSION = b"baken-journal-v1"
KDF_SALT = hashlib.sha256(b"baken recovery phrase salt v1").digest()[:16]
NONCE_BYTES = 12


class CryptoError(Exception):
    """A ciphertext did not decrypt: wrong key, or tampered with."""


@dataclass(frozen=True)
class JournalKeys:
    """What a phrase opens. `material` must never be written anywhere unwrapped."""

    lookup_id: str  # hex, stored in the database
    material: bytes  # 64 bytes: encryption key ‖ slot key
    kdf: str = ""  # the Kdf label the phrase was stretched with (stored with the journal)

    @property
    def encryption_key(self) -> bytes:
        return self.material[:32]

    @property
    def slot_key(self) -> bytes:
        return self.material[32:]

    @cached_property
    def _cipher(self) -> AESGCM:
        # One cipher per open journal and request, not one per answer.
        return AESGCM(self.encryption_key)

    @cached_property
    def _slots(self) -> dict[str, str]:
        # Slots worked out in this request (a save reads, then writes, the same answers).
        return {}


# --- phrases -------------------------------------------------------------------------------


def generate_phrase(language: str) -> str:
    """Seven words drawn uniformly with the operating system's CSPRNG."""
    words = wordlists.words(language)
    return " ".join(secrets.choice(words) for _ in range(wordlists.PHRASE_WORDS))


def phrase_bits(language: str) -> float:
    """The entropy of a generated phrase, in bits."""
    import math

    return wordlists.PHRASE_WORDS * math.log2(len(wordlists.words(language)))


def normalise(phrase: str) -> list[str]:
    """Lowercase words, accents removed, any punctuation or spacing between them."""
    decomposed = unicodedata.normalize("NFKD", phrase)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return "".join(c if c.isalpha() else " " for c in plain).split()


# --- keys ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kdf:
    """How a phrase is stretched: the derivation's version and Argon2id's parameters.

    Every journal records the one it was made with (`label`), so the parameters can change
    without locking anyone out: resuming tries the journal's own, then moves it to the current.

    - version 1 (journals made before versions were recorded): lookup id = HMAC(lookup pepper,
      stretched), key material = HKDF(stretched, salt = key pepper). With equal peppers the
      lookup id was the key's HKDF-Extract output: the key was computable from the database.
    - version 2: the lookup id and the key material come from the stretched secret through
      HKDF with distinct, fixed labels, and only then are the peppers mixed in; they are
      independent whatever the peppers are.
    """

    version: int
    memory_kib: int
    iterations: int
    lanes: int

    @property
    def label(self) -> str:
        return f"argon2id-v{self.version}:m={self.memory_kib},t={self.iterations},p={self.lanes}"

    @classmethod
    def parse(cls, label: str) -> Kdf:
        match = _KDF_LABEL.fullmatch(label)
        if match is None:
            raise ValueError(f"not a KDF label: {label!r}")
        return cls(*(int(part) for part in match.groups()))


_KDF_LABEL = re.compile(r"argon2id-v([0-9]+):m=([0-9]+),t=([0-9]+),p=([0-9]+)")
CURRENT_VERSION = 2


def current_kdf() -> Kdf:
    """The derivation new journals get, and resumed ones are moved to (settings.BAKEN_KDF)."""
    params = settings.BAKEN_KDF
    return Kdf(CURRENT_VERSION, params["memory_kib"], params["iterations"], params["lanes"])


def derive(words: list[str], kdf: Kdf | None = None) -> JournalKeys:
    """The journal's lookup id and key material, from the normalised phrase. Slow on purpose."""
    kdf = kdf or current_kdf()
    stretched = Argon2id(
        salt=KDF_SALT,
        length=32,
        iterations=kdf.iterations,
        lanes=kdf.lanes,
        memory_cost=kdf.memory_kib,
    ).derive(" ".join(words).encode())
    if kdf.version == 1:
        lookup = hmac.new(_pepper("lookup"), stretched, hashlib.sha256).hexdigest()
        material = HKDF(
            algorithm=hashes.SHA256(),
            length=64,
            salt=_pepper("key"),
            info=VERSION + b" key",
        ).derive(stretched)
        return JournalKeys(lookup, material, kdf.label)
    if kdf.version != 2:
        raise ValueError(f"unknown KDF version {kdf.version}")
    lookup_secret = _expand(stretched, b"baken journal v2: lookup id")
    key_secret = _expand(stretched, b"baken journal v2: key")
    lookup = hmac.new(_pepper("lookup"), lookup_secret, hashlib.sha256).hexdigest()
    material = HKDF(
        algorithm=hashes.SHA256(),
        length=64,
        salt=_pepper("key"),
        info=b"baken journal v2: key material",
    ).derive(key_secret)
    return JournalKeys(lookup, material, kdf.label)


def _expand(secret: bytes, label: bytes) -> bytes:
    """32 bytes of `secret` for one purpose (HKDF with a fixed label, no salt)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(secret)


def _pepper(name: str) -> bytes:
    value = settings.BAKEN_PEPPERS[name]
    return value.encode() if isinstance(value, str) else value


# --- answers -------------------------------------------------------------------------------


def slot(keys: JournalKeys, answer_id: str) -> str:
    """Where an answer is stored: a keyed hash of its id, so ids are not readable either."""
    found = keys._slots.get(answer_id)
    if found is None:
        found = keys._slots[answer_id] = hmac.new(
            keys.slot_key, answer_id.encode(), hashlib.sha256
        ).hexdigest()[:32]
    return found


def _associated(keys: JournalKeys, slot_id: str) -> bytes:
    return VERSION + b"|" + keys.lookup_id.encode() + b"|" + slot_id.encode()


def seal(keys: JournalKeys, answer_id: str, value: Any) -> tuple[str, bytes]:
    """Encrypt one answer with a fresh nonce; returns (slot, nonce ‖ ciphertext)."""
    slot_id = slot(keys, answer_id)
    nonce = secrets.token_bytes(NONCE_BYTES)
    plain = json.dumps({"id": answer_id, "v": value}, ensure_ascii=False).encode()
    sealed = keys._cipher.encrypt(nonce, plain, _associated(keys, slot_id))
    return slot_id, nonce + sealed


def open_sealed(
    keys: JournalKeys, slot_id: str, blob: bytes, expected_id: str | None = None
) -> tuple[str, Any]:
    """Decrypt one stored answer; returns (answer id, value).

    `expected_id`: the answer id the caller computed this slot from, if it did (then the check
    that the answer belongs in this slot is a comparison, not another HMAC).
    """
    nonce, sealed = bytes(blob[:NONCE_BYTES]), bytes(blob[NONCE_BYTES:])
    try:
        plain = keys._cipher.decrypt(nonce, sealed, _associated(keys, slot_id))
    except InvalidTag:
        raise CryptoError("an answer did not decrypt") from None
    data = json.loads(plain)
    if data["id"] != expected_id if expected_id is not None else slot(keys, data["id"]) != slot_id:
        raise CryptoError("an answer is stored under another answer's slot")
    return data["id"], data["v"]


# --- the session's copy of the key ---------------------------------------------------------


def _wrapping_key(session_secret: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=VERSION + b" session wrap"
    ).derive(session_secret.encode())


def wrap(session_secret: str, purpose: str, data: bytes) -> bytes:
    """Encrypt data for the session, with a key only the visitor's cookie can rebuild."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(_wrapping_key(session_secret)).encrypt(nonce, data, purpose.encode())


def unwrap(session_secret: str, purpose: str, wrapped: bytes) -> bytes:
    """Decrypt what `wrap` made; CryptoError if the cookie does not match."""
    try:
        return AESGCM(_wrapping_key(session_secret)).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], purpose.encode()
        )
    except InvalidTag:
        raise CryptoError("the session key does not open this") from None


# --- the journal's own key pair, for messages (conversations/) -------------------------------


def conversation_seed(keys: JournalKeys) -> bytes:
    """32 bytes from the journal's key material for its X25519 key pair: messages and replies
    are sealed to its public half, and only the phrase opens them again."""
    return _expand(keys.material, b"baken journal: conversation key pair")
