import json
import os
from pathlib import Path

import pytest

from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.storage.errors import KeyFileDamaged, UnknownUser, WrongPassphrase
from secretdesk.storage.keyslots import KeySlots, normalise_recovery_code, user_slot_id


def make(tmp_path: Path) -> tuple[KeySlots, bytes, Path]:
    key = os.urandom(32)
    slots = KeySlots(vault_id="0011223344556677")
    slots.put(user_slot_id("vanthu"), "mật khẩu dài dài", key, TEST_PARAMS)
    path = tmp_path / "secretdesk.keys"
    slots.save(path)
    return slots, key, path


def test_round_trip_and_wrong_passphrase(tmp_path: Path) -> None:
    _, key, path = make(tmp_path)
    loaded = KeySlots.load(path)
    assert loaded.open(user_slot_id("vanthu"), "mật khẩu dài dài") == key
    with pytest.raises(WrongPassphrase):
        loaded.open(user_slot_id("vanthu"), "mật khẩu sai")
    with pytest.raises(UnknownUser):
        loaded.open(user_slot_id("nobody"), "x")


def test_nfd_typed_passphrase_opens_nfc_slot(tmp_path: Path) -> None:
    import unicodedata

    _, key, path = make(tmp_path)
    typed = unicodedata.normalize("NFD", "mật khẩu dài dài")
    assert KeySlots.load(path).open(user_slot_id("vanthu"), typed) == key


def test_slot_cannot_be_moved_to_another_user(tmp_path: Path) -> None:
    _, _, path = make(tmp_path)
    data = json.loads(path.read_text())
    data["slots"][0]["id"] = "user:intruder"
    body = {k: v for k, v in data.items() if k != "checksum"}
    from secretdesk.storage.keyslots import _checksum

    data["checksum"] = _checksum(body)
    path.write_text(json.dumps(data))
    with pytest.raises(WrongPassphrase):
        KeySlots.load(path).open(user_slot_id("intruder"), "mật khẩu dài dài")


def test_every_flipped_byte_of_the_key_file_is_reported_as_damage(tmp_path: Path) -> None:
    _, _, path = make(tmp_path)
    original = path.read_bytes()
    for position in range(len(original)):
        damaged = bytearray(original)
        damaged[position] ^= 0x01
        path.write_bytes(bytes(damaged))
        with pytest.raises(KeyFileDamaged):
            KeySlots.load(path)


def test_recovery_code_normalisation() -> None:
    assert normalise_recovery_code("abcde fghjk-23456 ") == "ABCDE-FGHJK-23456"
