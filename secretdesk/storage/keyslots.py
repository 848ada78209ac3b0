"""Key slots: the vault's data key wrapped once per user and once for recovery.

``secretdesk.keys`` is JSON. Each slot holds the Argon2id parameters and salt, and the data
key encrypted with AES-256-GCM under the derived key; the slot id and the vault id are the
associated data, so a slot cannot be moved to another user or vault. A checksum over the
file tells accidental damage ("file damaged") apart from a wrong passphrase. Changing a
passphrase rewrites this file atomically and never touches the database.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secretdesk.crypto import kdf, keywrap
from secretdesk.storage.errors import KeyFileDamaged, UnknownUser, WrongPassphrase
from secretdesk.system.atomic import write_atomic

FORMAT = "secretdesk-keys"
VERSION = 1
RECOVERY_SLOT = "recovery"
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


@dataclass(frozen=True)
class Slot:
    slot_id: str  # "user:<name>" or "recovery"
    kdf_params: kdf.KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes

    @property
    def username(self) -> str | None:
        return self.slot_id.removeprefix("user:") if self.slot_id.startswith("user:") else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.slot_id,
            "kdf": self.kdf_params.to_json(),
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slot:
        return cls(
            slot_id=str(data["id"]),
            kdf_params=kdf.KdfParams.from_json(data["kdf"]),
            salt=_unb64(data["salt"]),
            nonce=_unb64(data["nonce"]),
            wrapped=_unb64(data["wrapped"]),
        )


def user_slot_id(username: str) -> str:
    return f"user:{username}"


@dataclass
class KeySlots:
    vault_id: str
    slots: dict[str, Slot] = field(default_factory=dict)

    # -- file --------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> KeySlots:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise
        except OSError as error:
            raise KeyFileDamaged(path=str(path), detail=error.strerror or str(error)) from error
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a key file")
            body = {k: v for k, v in data.items() if k != "checksum"}
            if data.get("checksum") != _checksum(body):
                raise ValueError("checksum mismatch")
            if data.get("format") != FORMAT or data.get("version") != VERSION:
                raise ValueError("unknown format")
            slots = [Slot.from_json(item) for item in data["slots"]]
            return cls(vault_id=str(data["vault_id"]), slots={s.slot_id: s for s in slots})
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
            raise KeyFileDamaged(path=str(path), detail=str(error)) from error

    def to_bytes(self) -> bytes:
        body: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "slots": [slot.to_json() for slot in sorted(self.slots.values(), key=_slot_order)],
        }
        return json.dumps({**body, "checksum": _checksum(body)}, indent=2).encode("utf-8")

    def save(self, path: Path) -> None:
        write_atomic(path, self.to_bytes())

    # -- slots -------------------------------------------------------------------------
    def context(self, slot_id: str) -> bytes:
        return f"{FORMAT}/v{VERSION}/{self.vault_id}/{slot_id}".encode()

    def put(self, slot_id: str, secret: str, data_key: bytes, params: kdf.KdfParams) -> None:
        salt = os.urandom(kdf.SALT_LENGTH)
        kek = kdf.derive(secret, salt, params)
        nonce, wrapped = keywrap.wrap(kek, data_key, self.context(slot_id))
        self.slots[slot_id] = Slot(slot_id, params, salt, nonce, wrapped)

    def open(self, slot_id: str, secret: str) -> bytes:
        slot = self.slots.get(slot_id)
        if slot is None:
            raise UnknownUser(user=slot_id.removeprefix("user:"))
        kek = kdf.derive(secret, slot.salt, slot.kdf_params)
        try:
            return keywrap.unwrap(kek, slot.nonce, slot.wrapped, self.context(slot_id))
        except keywrap.UnwrapFailed as error:
            raise WrongPassphrase() from error

    def remove(self, slot_id: str) -> None:
        self.slots.pop(slot_id, None)

    def usernames(self) -> list[str]:
        return sorted(s.username for s in self.slots.values() if s.username is not None)


def _slot_order(slot: Slot) -> tuple[int, str]:
    return (1 if slot.slot_id == RECOVERY_SLOT else 0, slot.slot_id)


def _checksum(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(canonical).hexdigest()


def new_recovery_code() -> str:
    """25 characters in five groups (about 125 bits), readable on paper."""
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(25))
    return "-".join(chars[i : i + 5] for i in range(0, 25, 5))


def normalise_recovery_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 5] for i in range(0, len(cleaned), 5))
