"""Wrapping the vault's data key under a passphrase-derived key with AES-256-GCM."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_LENGTH = 12


class UnwrapFailed(Exception):
    """The wrapping key is wrong or the wrapped data was altered (GCM tag mismatch)."""


def wrap(kek: bytes, secret: bytes, context: bytes) -> tuple[bytes, bytes]:
    """Return (nonce, ciphertext-with-tag); ``context`` is bound as associated data."""
    nonce = os.urandom(NONCE_LENGTH)
    return nonce, AESGCM(kek).encrypt(nonce, secret, context)


def unwrap(kek: bytes, nonce: bytes, wrapped: bytes, context: bytes) -> bytes:
    try:
        return AESGCM(kek).decrypt(nonce, wrapped, context)
    except InvalidTag as error:
        raise UnwrapFailed from error
