"""Adversarial review of issue 12: break-ins found after re-key and two-person control landed."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.crypto import kdf, sealing
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.restore import restore
from secretdesk.services.users import CountersignatureRequired
from secretdesk.storage import backup_manifest
from secretdesk.storage.errors import WrongPassphrase, WrongRecoveryCode
from secretdesk.storage.keyslots import KeySlots, Slot, user_slot_id
from secretdesk.storage.vault import (
    DB_FILE,
    KEYS_FILE,
    REKEY_FILE,
    Vault,
    _connect,
    _opens,
    _rekey_connection,
)
from tests.helpers import PASSPHRASE, fixed_clock, new_app

INSIDER_PASS = "insider passphrase long"


def forged_journal(live: Path, chosen_key: bytes) -> None:
    """What an insider without the data key can write: the live slots' public parts, a key of
    their choosing sealed to each public key, and a slot of their own."""
    current = KeySlots.load(live / KEYS_FILE)
    forged = KeySlots(vault_id=current.vault_id)
    for slot_id, slot in current.slots.items():
        sealed = sealing.seal(slot.public, chosen_key, current.context(slot_id))
        forged.slots[slot_id] = Slot(
            slot_id, slot.kdf_params, slot.salt, slot.nonce, slot.wrapped, slot.public, sealed
        )
    forged.put(user_slot_id("canbo"), INSIDER_PASS, chosen_key, kdf.TEST_PARAMS)
    (live / REKEY_FILE).write_bytes(forged.to_bytes())


def test_a_forged_rekey_journal_never_re_encrypts_under_the_insiders_key(
    tmp_path: Path,
) -> None:
    app, _code = new_app(tmp_path / "v")
    app.users.add("canbo", Role.CLERK, "clerk passphrase long")
    app.users.set_disabled("canbo")
    app.close()
    live = tmp_path / "v"
    chosen = os.urandom(32)
    forged_journal(live, chosen)

    Vault.unlock(live, "admin", PASSPHRASE, fixed_clock()).close()

    assert not _opens(live / DB_FILE, chosen)
    assert not (live / REKEY_FILE).exists()
    assert (live / f"{REKEY_FILE}.rejected").exists()
    assert user_slot_id("canbo") not in KeySlots.load(live / KEYS_FILE).slots
    Vault.unlock(live, "admin", PASSPHRASE, fixed_clock()).close()


def test_a_slot_added_to_the_key_file_by_hand_is_not_sealed_the_new_key(tmp_path: Path) -> None:
    """A clerk, before leaving, writes a slot for a user the register does not know."""
    app, _code = new_app(tmp_path / "v")
    app.users.add("canbo", Role.CLERK, "clerk passphrase long")
    live = tmp_path / "v"
    slots = KeySlots.load(live / KEYS_FILE)
    current = slots.open(user_slot_id("canbo"), "clerk passphrase long")
    slots.put(user_slot_id("ghost"), INSIDER_PASS, current, kdf.TEST_PARAMS)
    slots.save(live / KEYS_FILE)
    app.vault.slots = KeySlots.load(live / KEYS_FILE)  # as the next unlock would read it

    app.users.set_disabled("canbo")
    app.close()

    after = KeySlots.load(live / KEYS_FILE)
    assert user_slot_id("ghost") not in after.slots
    assert sorted(after.usernames()) == ["admin"]
    Vault.unlock(live, "admin", PASSPHRASE, fixed_clock()).close()


def test_a_lone_administrator_cannot_disable_the_approvers_and_then_act_alone(
    tmp_path: Path,
) -> None:
    app, _code = new_app(tmp_path / "v")
    app.users.add("head", Role.APPROVER, "head passphrase long", max_level=Level.TUYET_MAT)
    app.users.set_disabled("head")  # needs no countersignature
    with pytest.raises(CountersignatureRequired):
        app.users.add("stooge", Role.APPROVER, "stooge passphrase", max_level=Level.TUYET_MAT)
    with pytest.raises(CountersignatureRequired):
        app.users.add("admin2", Role.ADMIN, "admin two passphrase")
    assert [u.username for u in app.users.list()] == ["admin", "head"]
    app.close()


def test_restoring_an_old_backup_brings_back_no_departed_user_nor_old_key(
    tmp_path: Path,
) -> None:
    app, old_code = new_app(tmp_path / "v")
    app.users.add("canbo", Role.CLERK, "clerk passphrase long")
    backup = app.maintenance.backup(tmp_path / "stick")
    old_key = KeySlots.load(backup / KEYS_FILE).open(user_slot_id("canbo"), "clerk passphrase long")
    app.users.set_disabled("canbo")
    app.close()
    live = tmp_path / "v"

    result = restore(live, backup, "admin", PASSPHRASE, fixed_clock())

    assert result.disabled_again == ("canbo",)
    assert result.recovery_code and result.recovery_code != old_code
    assert not _opens(live / DB_FILE, old_key)
    assert user_slot_id("canbo") not in KeySlots.load(live / KEYS_FILE).slots
    with pytest.raises(WrongPassphrase):
        app_module.unlock(live, "canbo", "clerk passphrase long", fixed_clock())
    with pytest.raises(WrongRecoveryCode):
        app_module.recover(live, "admin", old_code, "another passphrase!", fixed_clock())
    with app_module.unlock(live, "admin", PASSPHRASE, fixed_clock()) as admin:
        assert [u.disabled for u in admin.users.list() if u.username == "canbo"] == [True]
        assert admin.audit.verify().ok


def test_a_public_key_swapped_into_the_key_file_does_not_receive_the_next_data_key(
    tmp_path: Path,
) -> None:
    """Someone with write access to the folder but no key replaces the public half of a
    rarely used slot with their own (the checksum is unkeyed) and waits for the next re-key."""
    app, _code = new_app(tmp_path / "v")
    app.users.add("canbo", Role.CLERK, "clerk passphrase long")
    app.users.add("kho", Role.CLERK, "store passphrase long")
    live = tmp_path / "v"
    _private, public = sealing.new_keypair()
    slots = KeySlots.load(live / KEYS_FILE)
    victim = slots.slots[user_slot_id("kho")]
    slots.slots[victim.slot_id] = replace(victim, public=public)
    slots.save(live / KEYS_FILE)
    app.vault.slots = KeySlots.load(live / KEYS_FILE)  # as the next unlock would read it

    app.users.set_disabled("canbo")
    app.close()

    after = KeySlots.load(live / KEYS_FILE)
    assert user_slot_id("kho") not in after.slots
    for slot in after.slots.values():
        assert slot.public != public
    with app_module.unlock(live, "admin", PASSPHRASE, fixed_clock()) as admin:
        rekeyed = admin.audit.events(action_prefix="vault.rekeyed")[-1]
        assert "kho" in rekeyed.detail["slots_dropped"]


def test_stripping_the_bindings_does_not_get_a_swapped_key_bound(tmp_path: Path) -> None:
    app, _code = new_app(tmp_path / "v")
    app.users.add("kho", Role.CLERK, "store passphrase long")
    app.close()
    live = tmp_path / "v"
    _private, public = sealing.new_keypair()
    slots = KeySlots.load(live / KEYS_FILE)
    for slot_id, slot in list(slots.slots.items()):
        swapped = public if slot_id == user_slot_id("kho") else slot.public
        slots.slots[slot_id] = replace(slot, public=swapped, public_mac=b"")
    slots.save(live / KEYS_FILE)
    with app_module.unlock(live, "admin", PASSPHRASE, fixed_clock()) as admin:
        admin.vault.rekey()
    assert user_slot_id("kho") not in KeySlots.load(live / KEYS_FILE).slots


def test_a_backup_prepared_by_an_outsider_gives_them_no_slot_in_the_restored_vault(
    tmp_path: Path,
) -> None:
    """An old copy of the database and its key, re-encrypted under a key the outsider chose;
    a key file whose admin slot is the live one with that key sealed to its public half, and
    a slot of their own for a real user. The administrator restores it."""
    app, _ = new_app(tmp_path / "v")
    app.users.add("kho", Role.CLERK, "store passphrase long")
    old = app.maintenance.backup(tmp_path / "old")
    old_key = bytes(app.vault._data_key)
    app.close()
    live = tmp_path / "v"
    stick = tmp_path / "stick" / "SecretDesk-backup-crafted"
    stick.mkdir(parents=True)
    shutil.copy(old / DB_FILE, stick / DB_FILE)
    chosen = os.urandom(32)
    conn = _connect(stick / DB_FILE, old_key, new=False)
    _rekey_connection(conn, chosen)
    conn.close()
    current = KeySlots.load(live / KEYS_FILE)
    forged = KeySlots(vault_id=current.vault_id)
    admin = current.slots[user_slot_id("admin")]
    forged.slots[admin.slot_id] = replace(
        admin,
        sealed=sealing.seal(admin.public, chosen, current.context(admin.slot_id)),
        public_mac=forged.public_mac(admin.slot_id, admin.public, chosen),
    )
    forged.put(user_slot_id("kho"), INSIDER_PASS, chosen, kdf.TEST_PARAMS)
    forged.save(stick / KEYS_FILE)
    # the manifest is not signed: whoever crafts a backup writes a matching one
    backup_manifest.write(
        stick, [DB_FILE, KEYS_FILE], schema_version=0, tree_head="-", created_at="-"
    )

    restore(live, stick, "admin", PASSPHRASE, fixed_clock())

    after = KeySlots.load(live / KEYS_FILE)
    with pytest.raises(WrongPassphrase):
        after.open(user_slot_id("kho"), INSIDER_PASS)
    # kho keeps today's passphrase; the administrator too.
    Vault.unlock(live, "kho", "store passphrase long", fixed_clock()).close()
    Vault.unlock(live, "admin", PASSPHRASE, fixed_clock()).close()
