"""An insider who holds the data key binds their own public key into a colleague's slot.

Any user holds the data key while unlocked, and with it can compute the HMAC that binds a
slot's public key under the data key. Before leaving, the insider swaps the public half of a
colleague's slot for one of their own (keeping the colleague's wrapped private key and sealed
box, so the colleague still unlocks and notices nothing) and waits for the re-key that their
own departure triggers: it seals the new data key to every slot's public key, theirs included.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.crypto import sealing
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.storage import audit
from secretdesk.storage.errors import SlotPublicReplaced, SlotQuarantined
from secretdesk.storage.keyslots import KeySlots, fingerprint, user_slot_id
from secretdesk.storage.lockout import Lockout
from secretdesk.storage.vault import KEYS_FILE, LOCKOUT_FILE, Vault
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli

INSIDER = "canbo"
INSIDER_PASS = "insider passphrase long"
VICTIM = "kho"
VICTIM_PASS = "store passphrase long"


def _office(tmp_path: Path) -> Path:
    app, _code = new_app(tmp_path / "v")
    app.users.add(INSIDER, Role.CLERK, INSIDER_PASS)
    app.users.add(VICTIM, Role.CLERK, VICTIM_PASS)
    app.users.add("truong", Role.APPROVER, "head passphrase long", max_level=Level.TUYET_MAT)
    app.close()
    return tmp_path / "v"


def _bind_own_key(live: Path) -> bytearray:
    """What the insider does with the data key from their own slot: swap the victim's public
    key for one of their own and bind it under the data key. Returns their private key."""
    slots = KeySlots.load(live / KEYS_FILE)
    data_key = slots.open(user_slot_id(INSIDER), INSIDER_PASS)
    private, public = sealing.new_keypair()
    slot_id = user_slot_id(VICTIM)
    victim = slots.slots[slot_id]
    mac = slots.public_mac(slot_id, public, data_key)
    slots.slots[slot_id] = replace(victim, public=public, public_mac=mac)
    slots.save(live / KEYS_FILE)
    return private


def _forge_pin(live: Path, private: bytearray) -> None:
    """The stronger insider also appends a forged pin event for the swapped key to the log
    (they hold the data key, and appending keeps the log consistent)."""
    slots = KeySlots.load(live / KEYS_FILE)
    data_key = slots.open(user_slot_id(INSIDER), INSIDER_PASS)
    vault = Vault.open_with_key(live, data_key)
    with vault.transaction() as conn:
        audit.append(
            conn,
            at_utc="2026-11-02T08:30:00Z",
            actor=VICTIM,
            action="key.slot_bound",
            entity="user",
            entity_id=VICTIM,
            detail={"fingerprint": fingerprint(sealing.public_of(bytes(private))), "why": "passwd"},
        )
    vault.close()


def _depart(live: Path) -> None:
    """The administrator disables the insider: the vault is re-keyed."""
    with app_module.unlock(live, "admin", PASSPHRASE, fixed_clock()) as admin:
        admin.users.set_disabled(INSIDER)


def _attacker_opens(live: Path, private: bytearray) -> bool:
    """With a later copy of the key file, does the insider's private key give the data key?"""
    slots = KeySlots.load(live / KEYS_FILE)
    slot = slots.slots.get(user_slot_id(VICTIM))
    if slot is None or slot.sealed is None:
        return False
    try:
        sealing.unseal(private, *slot.sealed, slots.context(user_slot_id(VICTIM)))
    except sealing.UnsealFailed:
        return False
    return True


def test_the_departure_rekey_does_not_seal_the_new_key_to_a_swapped_public_key(
    tmp_path: Path,
) -> None:
    live = _office(tmp_path)
    private = _bind_own_key(live)

    _depart(live)

    assert not _attacker_opens(live, private)
    assert user_slot_id(VICTIM) in KeySlots.load(live / KEYS_FILE).quarantined
    with app_module.unlock(live, "admin", PASSPHRASE, fixed_clock()) as admin:
        rekeyed = [e for e in admin.audit.events(limit=50) if e.action == "vault.rekeyed"][-1]
        assert json.loads(rekeyed.detail_json)["slots_quarantined"] == [VICTIM]
    # The victim is told what happened, not "wrong passphrase", and an administrator's reset
    # (which re-keys) gives them a slot again.
    with pytest.raises(SlotQuarantined) as refused:
        app_module.unlock(live, VICTIM, VICTIM_PASS, fixed_clock())
    assert "reset" in str(refused.value)
    with app_module.unlock(live, "admin", PASSPHRASE, fixed_clock()) as admin:
        head = admin.users.countersign("truong", "head passphrase long")
        admin.users.reset_passphrase(VICTIM, "a new store passphrase", head)
    app_module.unlock(live, VICTIM, "a new store passphrase", fixed_clock()).close()
    assert not _attacker_opens(live, private)


def test_the_victims_next_unlock_catches_the_swap_and_puts_their_own_key_back(
    tmp_path: Path,
) -> None:
    """The check that needs no log: the victim's passphrase unwraps their private key, whose
    public half is not the one in the slot. The swap is undone and recorded."""
    live = _office(tmp_path)
    private = _bind_own_key(live)

    with app_module.unlock(live, VICTIM, VICTIM_PASS, fixed_clock()) as victim:
        assert victim.vault.public_replaced == fingerprint(sealing.public_of(bytes(private)))
        events = [
            e for e in victim.audit.events(limit=50) if e.action == "key.slot_public_replaced"
        ]
        assert len(events) == 1 and events[0].entity_id == VICTIM

    _depart(live)
    assert not _attacker_opens(live, private)
    app_module.unlock(live, VICTIM, VICTIM_PASS, fixed_clock()).close()


def test_a_forged_pin_gets_past_the_rekey_but_the_victim_is_told_not_wrong_passphrase(
    tmp_path: Path,
) -> None:
    """What is not prevented: an insider who also appends a forged pin to the log. The victim's
    next unlock says so (their passphrase is right) without counting a failed unlock."""
    live = _office(tmp_path)
    private = _bind_own_key(live)
    _forge_pin(live, private)
    _depart(live)
    assert _attacker_opens(live, private)  # the documented limit

    with pytest.raises(SlotPublicReplaced) as caught:
        Vault.unlock(live, VICTIM, VICTIM_PASS, fixed_clock())
    assert "re-key" in str(caught.value)
    lockout = Lockout(live / LOCKOUT_FILE, fixed_clock(), KeySlots.load(live / KEYS_FILE).vault_id)
    assert lockout.reset(user_slot_id(VICTIM)) == 0


def test_slots_written_by_the_program_are_pinned_and_keep_their_key_at_a_rekey(
    tmp_path: Path,
) -> None:
    """No false alarm: users added, a changed passphrase and a reset all keep their slot."""
    live = _office(tmp_path)
    with app_module.unlock(live, VICTIM, VICTIM_PASS, fixed_clock()) as victim:
        victim.users.change_own_passphrase(VICTIM_PASS, "changed store passphrase")
    _depart(live)
    after = KeySlots.load(live / KEYS_FILE)
    assert after.quarantined == {}
    assert sorted(after.usernames()) == ["admin", VICTIM, "truong"]
    app_module.unlock(live, VICTIM, "changed store passphrase", fixed_clock()).close()


def _cli(live: Path, user: str, passphrase: str, *args: str) -> tuple[int, str, str]:
    base = ("--data-dir", str(live), "--user", user, "--lang", "en")
    result = run_cli(*base, *args, env={"SECRETDESK_PASSPHRASE": passphrase})
    return result.returncode, result.stdout, result.stderr


def test_the_command_line_says_so_and_self_test_fails_until_the_slot_is_reset(
    tmp_path: Path,
) -> None:
    live = _office(tmp_path)
    _bind_own_key(live)

    code, _out, err = _cli(live, "admin", PASSPHRASE, "user", "disable", INSIDER)
    assert code == 0, err
    assert f"the key slots of {VICTIM} were set aside" in err

    code, out, _err = _cli(live, "admin", PASSPHRASE, "self-test")
    assert code == 1
    assert _line(out, "Key slot binding").split()[3:] == [
        "FAIL",
        "set",
        "aside",
        "at",
        "the",
        "last",
        "re-key",
        "(reset",
        "their",
        "passphrases):",
        f"{VICTIM}.",
    ]


def test_the_victim_is_warned_at_unlock_and_self_test_asks_for_a_rekey(tmp_path: Path) -> None:
    live = _office(tmp_path)
    _bind_own_key(live)

    code, out, err = _cli(live, VICTIM, VICTIM_PASS, "self-test")
    assert "someone had put another public key into your key slot" in err
    assert code == 1
    assert f"FAIL     another public key was found in the slot of {VICTIM}" in out

    _depart(live)  # the re-key after the insider left
    code, out, err = _cli(live, VICTIM, VICTIM_PASS, "self-test")
    assert "another public key" not in err + out
    assert _line(out, "Key slot binding").split()[3] == "OK"


def _line(out: str, check: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(check))


def test_a_swapped_key_does_not_make_the_owners_countersignature_fail(tmp_path: Path) -> None:
    """The insider swaps the approver's public key instead: the approver's right passphrase
    still countersigns (and is not counted as a failure against them)."""
    live = _office(tmp_path)
    slots = KeySlots.load(live / KEYS_FILE)
    data_key = slots.open(user_slot_id(INSIDER), INSIDER_PASS)
    _private, public = sealing.new_keypair()
    slot_id = user_slot_id("truong")
    mac = slots.public_mac(slot_id, public, data_key)
    slots.slots[slot_id] = replace(slots.slots[slot_id], public=public, public_mac=mac)
    slots.save(live / KEYS_FILE)
    with app_module.unlock(live, "admin", PASSPHRASE, fixed_clock()) as admin:
        assert admin.users.countersign("truong", "head passphrase long").username == "truong"
