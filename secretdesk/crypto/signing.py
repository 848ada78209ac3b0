"""The unit's Ed25519 signing key: created at setup, kept in the vault, never exported.

The 8-byte key id and the raw 32-byte public key are what minisign and signify put in a
public-key file; ``fingerprint`` is what is printed on paper so the supervising office can
pin the key out of band.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

KEY_ID_LENGTH = 8


@dataclass(frozen=True)
class UnitKey:
    private: bytes  # raw 32-byte Ed25519 seed
    public: bytes  # raw 32-byte Ed25519 public key
    key_id: bytes  # 8 random bytes, as minisign and signify use them

    def __repr__(self) -> str:  # never print the private key
        return f"UnitKey(key_id={self.key_id.hex()}, fingerprint={fingerprint(self.public)})"

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.private).sign(message)


def generate_unit_key() -> UnitKey:
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return UnitKey(private=seed, public=public, key_id=os.urandom(KEY_ID_LENGTH))


def verify(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(public: bytes) -> str:
    """SHA-256 of the public key, 16 groups of 4 hex digits: easy to read aloud and compare."""
    digest = hashlib.sha256(public).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, 64, 4))


def public_key_base64(public: bytes, key_id: bytes) -> str:
    """The second line of a minisign/signify public-key file: base64("Ed" + id + key)."""
    return base64.b64encode(b"Ed" + key_id + public).decode("ascii")
