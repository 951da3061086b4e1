"""Password hashing with scrypt (``hashlib.scrypt``, memory-hard, in the standard library).

A stored hash reads ``scrypt$<n>$<r>$<p>$<salt b64>$<digest b64>`` so that the cost can be raised
later without invalidating old hashes: :func:`verify_password` reads the parameters back.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from precursor_watch.errors import InputError

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
DIGEST_BYTES = 32
MIN_PASSWORD_LENGTH = 10
_MAXMEM = 64 * 1024 * 1024


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=DIGEST_BYTES
    )


def check_password_strength(password: str) -> None:
    """Refuse passwords a guessing attack would find quickly (too short, or one repeated char)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"password must be at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    if len(set(password)) < 4:
        raise InputError("password must use at least 4 different characters", field="password")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    b64 = base64.b64encode
    return (
        f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}$"
        f"{b64(salt).decode('ascii')}${b64(digest).decode('ascii')}"
    )


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` hashes to ``stored``; compares in constant time."""
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt = base64.b64decode(salt_b64)
        expected = base64.b64decode(digest_b64)
        actual = _scrypt(password, salt, int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def new_secret(nbytes: int = 32) -> str:
    """A URL-safe random secret (session ids, API tokens, one-time passwords)."""
    return secrets.token_urlsafe(nbytes)


def sha256_hex(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
