"""Sealing the data key to a user's public key (X25519, HKDF-SHA256, AES-256-GCM).

A user's slot holds an X25519 private key wrapped under their passphrase and, beside it, the
data key sealed to the matching public key. Re-keying the vault then needs no passphrase:
the new data key is sealed again to every remaining public key, and a removed user's private
key (kept in an old backup) opens nothing in the new key file.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_LENGTH = 12
_RAW = serialization.Encoding.Raw


class UnsealFailed(Exception):
    """The private key does not match or the sealed data was altered."""


def new_keypair() -> tuple[bytearray, bytes]:
    """A new (private, public) pair as raw 32-byte values."""
    private = X25519PrivateKey.generate()
    raw = private.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    public = private.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    return bytearray(raw), public


def _box_key(shared: bytes, ephemeral: bytes, public: bytes, context: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + public, info=context).derive(
        shared
    )


def seal(public: bytes, secret: bytes, context: bytes) -> tuple[bytes, bytes, bytes]:
    """Return (ephemeral public key, nonce, ciphertext) that only ``public``'s owner opens."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    nonce = os.urandom(NONCE_LENGTH)
    box = AESGCM(_box_key(shared, ephemeral_public, public, context))
    return ephemeral_public, nonce, box.encrypt(nonce, secret, context)


def unseal(
    private: bytes | bytearray, ephemeral: bytes, nonce: bytes, sealed: bytes, context: bytes
) -> bytes:
    try:
        key = X25519PrivateKey.from_private_bytes(bytes(private))
        public = key.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
        shared = key.exchange(X25519PublicKey.from_public_bytes(ephemeral))
        box = AESGCM(_box_key(shared, ephemeral, public, context))
        return box.decrypt(nonce, sealed, context)
    except (InvalidTag, ValueError) as error:
        raise UnsealFailed from error


def public_of(private: bytes) -> bytes:
    key = X25519PrivateKey.from_private_bytes(bytes(private))
    return key.public_key().public_bytes(_RAW, serialization.PublicFormat.Raw)
