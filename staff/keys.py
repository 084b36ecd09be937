"""The inbox key: all of the staff side's cryptography, in one place (libsodium via PyNaCl).

Visitors' messages are sealed to the organisation's public key (X25519 sealed boxes). The
private key is never stored in the clear. It is kept wrapped (XSalsa20-Poly1305 secret box):

    for each account    key = Argon2id(password, random salt)          (STAFF_KDF)
    for recovery        key = Argon2id(recovery code, random salt)     printed once, kept offline
    in an invitation    key = BLAKE2b(link secret, person="baken-invite")   the link has 256 bits
    in a session        key = BLAKE2b(session cookie value, person="baken-inbox")

A wrap records how its key was derived, so the parameters can change without locking anyone
out. The database holds wraps, salts and the public key; with every server secret but without
a password, the recovery code, an invitation link or a live session cookie it opens nothing.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass

import nacl.exceptions
import nacl.hash
import nacl.pwhash
import nacl.secret
import nacl.utils
from django.conf import settings
from nacl.public import PrivateKey, PublicKey, SealedBox


class WrongSecret(Exception):
    """The password, code or link does not open this wrap."""


@dataclass(frozen=True)
class Kdf:
    opslimit: int
    memlimit: int  # bytes

    @classmethod
    def current(cls) -> Kdf:
        return cls(**settings.BAKEN_STAFF_KDF)

    def derive(self, secret: str, salt: bytes) -> bytes:
        return nacl.pwhash.argon2id.kdf(
            nacl.secret.SecretBox.KEY_SIZE,
            secret.encode(),
            salt,
            opslimit=self.opslimit,
            memlimit=self.memlimit,
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode())


def _fast_key(secret: str, person: bytes) -> bytes:
    """A key from a secret that is already random and long (a link, a session cookie)."""
    return nacl.hash.blake2b(
        secret.encode(), digest_size=32, person=person, encoder=nacl.encoding.RawEncoder
    )


def new_inbox() -> tuple[bytes, bytes]:
    """A new key pair: (public key, private key), 32 bytes each."""
    private = PrivateKey.generate()
    return bytes(private.public_key), bytes(private)


def wrap_with_password(private_key: bytes, password: str) -> str:
    kdf = Kdf.current()
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    box = nacl.secret.SecretBox(kdf.derive(password, salt))
    return json.dumps(
        {
            "v": 1,
            "kdf": "argon2id",
            "ops": kdf.opslimit,
            "mem": kdf.memlimit,
            "salt": _b64(salt),
            "box": _b64(box.encrypt(private_key)),
        }
    )


def unwrap_with_password(wrapped: str, password: str) -> bytes:
    try:
        found = json.loads(wrapped)
        if found.get("v") != 1 or found.get("kdf") != "argon2id":
            raise WrongSecret("unknown wrap")
        kdf = Kdf(opslimit=found["ops"], memlimit=found["mem"])
        key = kdf.derive(password, _unb64(found["salt"]))
        return nacl.secret.SecretBox(key).decrypt(_unb64(found["box"]))
    except (ValueError, KeyError, TypeError, nacl.exceptions.CryptoError) as problem:
        raise WrongSecret from problem


def _wrap_fast(private_key: bytes, secret: str, person: bytes) -> str:
    return _b64(nacl.secret.SecretBox(_fast_key(secret, person)).encrypt(private_key))


def _unwrap_fast(wrapped: str, secret: str, person: bytes) -> bytes:
    try:
        return nacl.secret.SecretBox(_fast_key(secret, person)).decrypt(_unb64(wrapped))
    except (ValueError, TypeError, nacl.exceptions.CryptoError) as problem:
        raise WrongSecret from problem


def wrap_for_invitation(private_key: bytes, link_secret: str) -> str:
    return _wrap_fast(private_key, link_secret, b"baken-invite")


def unwrap_invitation(wrapped: str, link_secret: str) -> bytes:
    return _unwrap_fast(wrapped, link_secret, b"baken-invite")


def wrap_for_session(private_key: bytes, session_key: str) -> str:
    return _wrap_fast(private_key, session_key, b"baken-inbox")


def unwrap_from_session(wrapped: str, session_key: str) -> bytes:
    return _unwrap_fast(wrapped, session_key, b"baken-inbox")


# The recovery code: 10 groups of 5 characters from 32 symbols without look-alikes (no I, O,
# 0 or 1): 250 bits, typed by a person on the rare day it is needed.
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_recovery_code() -> str:
    groups = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(5)) for _ in range(10)]
    return "-".join(groups)


def normal_recovery_code(typed: str) -> str:
    """The code as typed, read forgivingly: case, spaces and dashes do not matter."""
    letters = "".join(ch for ch in typed.upper() if ch.isalnum())
    return "-".join(letters[i : i + 5] for i in range(0, len(letters), 5))


def seal(public_key: bytes, message: bytes) -> bytes:
    """What a visitor's message becomes: only the inbox private key opens it."""
    return SealedBox(PublicKey(public_key)).encrypt(message)


def open_sealed(private_key: bytes, sealed: bytes) -> bytes:
    return SealedBox(PrivateKey(private_key)).decrypt(sealed)


def base32_secret(key: bytes) -> str:
    """An authenticator's secret as people type it into an app (RFC 4648 base32, no padding)."""
    return base64.b32encode(key).decode().rstrip("=")
