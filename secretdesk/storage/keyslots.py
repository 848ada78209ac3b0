"""Key slots: the vault's data key wrapped once per user and once for recovery.

``secretdesk.keys`` is JSON. Each slot holds the Argon2id parameters and salt, and the data
key encrypted with AES-256-GCM under the derived key; the slot id and the vault id are the
associated data, so a slot cannot be moved to another user or vault. A checksum over the
file tells accidental damage ("file damaged") apart from a wrong passphrase. Changing a
passphrase rewrites this file atomically and never touches the database.

Format 2: a user's slot wraps an X25519 private key under the passphrase and holds the data
key sealed to the matching public key (crypto/sealing.py), so a re-key seals a new data key
to every remaining user without knowing their passphrases. Slots of format 1 (the data key
wrapped directly) still open; each is turned into format 2 the next time its owner unlocks.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from secretdesk.crypto import kdf, keywrap, sealing
from secretdesk.storage.errors import (
    KeyFileDamaged,
    SlotPublicReplaced,
    SlotQuarantined,
    UnknownUser,
    WrongPassphrase,
)
from secretdesk.system.atomic import write_atomic

FORMAT = "secretdesk-keys"
VERSION = 2
READABLE_VERSIONS = (1, 2)
_CONTEXT_VERSION = 1  # part of every slot's associated data since format 1
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
    # Format 2: the public key and the data key sealed to it (empty for a format-1 slot).
    public: bytes = b""
    sealed: tuple[bytes, bytes, bytes] | None = None
    # HMAC of the public key under the data key: a re-key seals the new data key only to a
    # public key that someone holding the data key wrote (see KeySlots.resealed_for).
    public_mac: bytes = b""

    @property
    def legacy(self) -> bool:
        """A format-1 slot wraps the data key itself and cannot be re-sealed."""
        return self.sealed is None

    @property
    def username(self) -> str | None:
        return self.slot_id.removeprefix("user:") if self.slot_id.startswith("user:") else None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.slot_id,
            "kdf": self.kdf_params.to_json(),
            "salt": _b64(self.salt),
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }
        if self.sealed is not None:
            data["public"] = _b64(self.public)
            data["sealed"] = [_b64(part) for part in self.sealed]
        if self.public_mac:
            data["public_mac"] = _b64(self.public_mac)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slot:
        return cls(
            slot_id=str(data["id"]),
            kdf_params=kdf.KdfParams.from_json(data["kdf"]),
            salt=_unb64(data["salt"]),
            nonce=_unb64(data["nonce"]),
            wrapped=_unb64(data["wrapped"]),
            public=_unb64(data["public"]) if "sealed" in data else b"",
            sealed=_sealed(data["sealed"]) if "sealed" in data else None,
            public_mac=_unb64(data["public_mac"]) if "public_mac" in data else b"",
        )


def _sealed(parts: Any) -> tuple[bytes, bytes, bytes]:
    if not isinstance(parts, list) or len(parts) != 3:
        raise ValueError("bad sealed key")
    ephemeral, nonce, box = (_unb64(str(part)) for part in parts)
    if len(ephemeral) != 32 or len(nonce) != sealing.NONCE_LENGTH:
        raise ValueError("bad sealed key")
    return ephemeral, nonce, box


def user_slot_id(username: str) -> str:
    return f"user:{username}"


def fingerprint(public: bytes) -> str:
    """How a slot's public key is named in the audit log (``key.slot_bound`` pins)."""
    return hashlib.sha256(b"secretdesk-slot-public/" + public).hexdigest()


@dataclass
class KeySlots:
    vault_id: str
    slots: dict[str, Slot] = field(default_factory=dict)
    # A re-key journal only: HMAC of the new data key under the old one (vault.REKEY_FILE), so
    # a journal written by anyone who does not hold the current data key is never rolled forward.
    rekey_auth: str | None = None
    # Slots a re-key set aside (slot id -> fingerprint of the public key it found there)
    # because that public key was never pinned for its user in the audit log.
    quarantined: dict[str, str] = field(default_factory=dict)

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
            if data.get("format") != FORMAT or data.get("version") not in READABLE_VERSIONS:
                raise ValueError("unknown format")
            slots = [Slot.from_json(item) for item in data["slots"]]
            auth = data.get("rekey_auth")
            quarantined = data.get("quarantined", {})
            if not isinstance(quarantined, dict):
                raise ValueError("bad quarantine list")
            return cls(
                vault_id=str(data["vault_id"]),
                slots={s.slot_id: s for s in slots},
                rekey_auth=None if auth is None else str(auth),
                quarantined={str(k): str(v) for k, v in quarantined.items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
            raise KeyFileDamaged(path=str(path), detail=str(error)) from error

    def to_bytes(self) -> bytes:
        body: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "vault_id": self.vault_id,
            "slots": [slot.to_json() for slot in sorted(self.slots.values(), key=_slot_order)],
        }
        if self.rekey_auth is not None:
            body["rekey_auth"] = self.rekey_auth
        if self.quarantined:
            body["quarantined"] = dict(sorted(self.quarantined.items()))
        return json.dumps({**body, "checksum": _checksum(body)}, indent=2).encode("utf-8")

    def save(self, path: Path) -> None:
        write_atomic(path, self.to_bytes())

    # -- slots -------------------------------------------------------------------------
    def context(self, slot_id: str) -> bytes:
        return f"{FORMAT}/v{_CONTEXT_VERSION}/{self.vault_id}/{slot_id}".encode()

    def put(self, slot_id: str, secret: str, data_key: bytes, params: kdf.KdfParams) -> None:
        """A new format-2 slot: a fresh key pair, its private half under ``secret``."""
        kdf.check_floor_or_test(params)
        salt = os.urandom(kdf.SALT_LENGTH)
        kek = kdf.derive(secret, salt, params)
        private, public = sealing.new_keypair()
        try:
            nonce, wrapped = keywrap.wrap(kek, bytes(private), self.context(slot_id))
        finally:
            private[:] = bytes(len(private))
        sealed = sealing.seal(public, data_key, self.context(slot_id))
        mac = self.public_mac(slot_id, public, data_key)
        self.slots[slot_id] = Slot(slot_id, params, salt, nonce, wrapped, public, sealed, mac)
        self.quarantined.pop(slot_id, None)

    def public_mac(self, slot_id: str, public: bytes, data_key: bytes) -> bytes:
        message = b"public-key/" + self.context(slot_id) + b"/" + public
        return hmac.new(data_key, message, hashlib.sha256).digest()

    def bind_publics(self, data_key: bytes) -> bool:
        """Give format-2 slots written before public keys were bound their HMAC under the
        data key (at an unlock, when the data key is known); True when something changed."""
        changed = False
        for slot_id, slot in list(self.slots.items()):
            if slot.sealed is not None and not slot.public_mac:
                mac = self.public_mac(slot_id, slot.public, data_key)
                self.slots[slot_id] = dataclasses.replace(slot, public_mac=mac)
                changed = True
        return changed

    def open(self, slot_id: str, secret: str) -> bytes:
        """The data key; refused when the slot's public key is not its owner's (see
        ``open_checked``)."""
        data_key, swapped = self.open_checked(slot_id, secret)
        if swapped is not None:
            raise SlotPublicReplaced(user=slot_id.removeprefix("user:"))
        return data_key

    def open_checked(self, slot_id: str, secret: str) -> tuple[bytes, bytes | None]:
        """The data key, and the owner's own public key when the slot holds another one.

        The binding to the owner's passphrase: the private key is authenticated by AES-GCM
        under the passphrase-derived key, so the public key derived from it is the owner's.
        A slot whose public key differs had it swapped by someone else (who held the data key
        to bind it, see ``public_mac``). While the data key is still sealed to the owner's key
        (no re-key since), it is returned with the owner's public key, to put it back; once a
        re-key sealed it to the swapped key, SlotPublicReplaced (the passphrase was right)."""
        slot = self.slots.get(slot_id)
        if slot is None:
            if slot_id in self.quarantined:
                raise SlotQuarantined(user=slot_id.removeprefix("user:"))
            raise UnknownUser(user=slot_id.removeprefix("user:"))
        kek = kdf.derive(secret, slot.salt, slot.kdf_params)
        try:
            inner = bytearray(keywrap.unwrap(kek, slot.nonce, slot.wrapped, self.context(slot_id)))
        except keywrap.UnwrapFailed as error:
            raise WrongPassphrase() from error
        if slot.sealed is None:
            return bytes(inner), None
        try:
            genuine = sealing.public_of(bytes(inner))
            try:
                data_key = sealing.unseal(inner, *slot.sealed, self.context(slot_id))
            except sealing.UnsealFailed as error:
                if not hmac.compare_digest(genuine, slot.public):
                    raise SlotPublicReplaced(user=slot_id.removeprefix("user:")) from error
                raise WrongPassphrase() from error
        finally:
            inner[:] = bytes(len(inner))
        return data_key, None if hmac.compare_digest(genuine, slot.public) else genuine

    def restore_public(self, slot_id: str, genuine: bytes, data_key: bytes) -> str:
        """Put the owner's own public key back into their slot (found by ``open_checked``);
        returns the fingerprint of the key that had been swapped in."""
        slot = self.slots[slot_id]
        sealed = sealing.seal(genuine, data_key, self.context(slot_id))
        mac = self.public_mac(slot_id, genuine, data_key)
        self.slots[slot_id] = dataclasses.replace(
            slot, public=genuine, sealed=sealed, public_mac=mac
        )
        return fingerprint(slot.public)

    def resealed_for(
        self,
        data_key: bytes,
        keep: list[str],
        current_key: bytes,
        pinned: Mapping[str, Collection[str]] | None = None,
    ) -> tuple[KeySlots, list[str]]:
        """A new key file holding ``data_key`` sealed to the kept format-2 slots, and the
        slots left out because their public key is not bound under ``current_key`` (a public
        key swapped into the key file by someone without the data key).

        With ``pinned`` (user name -> fingerprints the audit log pins for that user), a slot
        whose public key was never pinned for its user gets nothing and is set aside in
        ``quarantined``: someone holding the data key can bind a key of their own, but has to
        forge an event in the log to get it pinned."""
        fresh = KeySlots(vault_id=self.vault_id)
        refused: list[str] = []
        for slot_id in keep:
            slot = self.slots[slot_id]
            if slot.sealed is None:
                raise ValueError(f"slot {slot_id} is of format 1")
            expected = self.public_mac(slot_id, slot.public, current_key)
            if not hmac.compare_digest(slot.public_mac, expected):
                refused.append(slot_id)
                continue
            owner = slot.username
            found = fingerprint(slot.public)
            if pinned is not None and owner is not None and found not in pinned.get(owner, ()):
                fresh.quarantined[slot_id] = found
                continue
            sealed = sealing.seal(slot.public, data_key, self.context(slot_id))
            mac = self.public_mac(slot_id, slot.public, data_key)
            fresh.slots[slot_id] = Slot(
                slot_id,
                slot.kdf_params,
                slot.salt,
                slot.nonce,
                slot.wrapped,
                slot.public,
                sealed,
                mac,
            )
        return fresh, refused

    def legacy_slots(self) -> list[str]:
        return sorted(s.slot_id for s in self.slots.values() if s.legacy)

    def remove(self, slot_id: str) -> None:
        self.slots.pop(slot_id, None)
        self.quarantined.pop(slot_id, None)

    def usernames(self) -> list[str]:
        names = {s.username for s in self.slots.values() if s.username is not None}
        names |= {s.removeprefix("user:") for s in self.quarantined if s.startswith("user:")}
        return sorted(names)


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
