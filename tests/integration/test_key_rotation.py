"""Unit signing key rotation (issue 12): the forged package from an old copy is refused.

A clerk leaves with a copy of the unit's data folder (and so of the unit's signing key). The
unit disables them: the vault is re-keyed and the unit key rotated; the old key signs the
rotation statement that travels in the next package. The office pins the new key from that
statement and the fingerprint typed from the paper report, and from then on refuses packages
the old key signs with a later number, naming why.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.crypto import minisign
from secretdesk.crypto.signing import fingerprint, generate_unit_key
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.office import (
    FingerprintMismatch,
    RetiredKeyAfterRotation,
    RotationPending,
    RotationRefused,
)
from secretdesk.services.users import CountersignatureRequired
from secretdesk.storage import unit
from secretdesk.transfer.layout import CHECKSUMS, checksum_list, parse_checksum_list
from secretdesk.transfer.rotation import (
    ROTATION_SIGNATURE,
    ROTATION_STATEMENT,
    build_statement,
    parse_statement,
)
from tests.helpers import PASSPHRASE, fixed_clock
from tests.integration.test_office import JUSTICE, World, outcome

CLERK_PASS = "clerk passphrase long"
HEAD_PASS = "head passphrase long"


@pytest.fixture
def world(tmp_path: Path):
    made = World(tmp_path)
    made.justice.users.add("canbo", Role.CLERK, CLERK_PASS)
    made.justice.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
    yield made
    made.close()


def rotated(world: World, tmp_path: Path) -> tuple[Path, Path, str]:
    """Package 1 under the old key, accepted; the clerk copies the folder and is disabled;
    package 2 carries the rotation. Returns (package 2, the old copy, the old fingerprint)."""
    world.trust(world.justice)
    assert outcome(world.office.office.import_packages([world.export(world.justice)])).accepted
    old_fingerprint = world.justice.unit_info().key_fingerprint
    world.justice.close()
    shutil.copytree(tmp_path / "justice", tmp_path / "insider-copy")
    world.justice = app_module.unlock(tmp_path / "justice", "admin", PASSPHRASE, fixed_clock())
    world.justice.users.set_disabled("canbo")
    rotation = world.justice.users.last_rotation
    assert rotation is not None and rotation.from_seq == 2
    assert world.justice.unit_info().key_fingerprint != old_fingerprint
    return world.export(world.justice), tmp_path / "insider-copy", old_fingerprint


def test_the_forged_package_from_an_old_copy_is_refused_after_the_rotation(
    world: World, tmp_path: Path
) -> None:
    second, copy, old_fingerprint = rotated(world, tmp_path)
    assert (second / ROTATION_STATEMENT).is_file() and (second / ROTATION_SIGNATURE).is_file()
    listed = parse_checksum_list((second / CHECKSUMS).read_bytes())
    assert ROTATION_STATEMENT in listed and ROTATION_SIGNATURE in listed

    # Before the office accepts the rotation, the new key's package is held back, saying why.
    pending = outcome(world.office.office.import_packages([second]))
    assert not pending.accepted and isinstance(pending.reason, RotationPending)
    assert "office rotate" in pending.reason.render("en")

    new_fingerprint = world.justice.unit_info().key_fingerprint
    pinned = world.office.office.rotate(JUSTICE.code, second, new_fingerprint.lower())
    assert pinned.fingerprint == new_fingerprint
    retired = [u for u in world.office.office.trusted_units(include_retired=True) if u.retired]
    assert [u.fingerprint for u in retired] == [old_fingerprint]
    assert outcome(world.office.office.import_packages([second])).accepted

    # The insider's copy still holds the old key and signs a forged annual report.
    with app_module.unlock(copy, "canbo", CLERK_PASS, fixed_clock()) as insider:
        assert insider.unit_info().key_fingerprint == old_fingerprint
        stick = tmp_path / "insider-stick"
        stick.mkdir()
        forged = [
            insider.exports.export("annual", "2026", stick, explicitly_chosen_folder=True).folder
            for _ in range(2)
        ]
    assert [f.name[-2:] for f in forged] == ["_2", "_3"]
    refused = world.office.office.import_packages(forged)
    assert [o.accepted for o in refused] == [False, False]
    assert all(isinstance(o.reason, RetiredKeyAfterRotation) for o in refused)
    message = refused[1].reason.render("en")
    assert "package 3 of unit STP-QNG" in message
    assert "signed with the unit's retired key after its rotation at package 2" in message
    assert "khóa đã bị thu hồi của đơn vị" in refused[1].reason.render("vi")
    events = world.office.audit.events(action_prefix="office.unit_key_rotated")
    assert events and events[0].detail["from_seq"] == 2


def test_the_new_key_is_pinned_only_with_the_fingerprint_from_the_paper(
    world: World, tmp_path: Path
) -> None:
    second, _copy, old_fingerprint = rotated(world, tmp_path)
    with pytest.raises(FingerprintMismatch):
        world.office.office.rotate(JUSTICE.code, second, old_fingerprint)
    assert not any(u.retired for u in world.office.office.trusted_units(include_retired=True))


def test_a_statement_signed_by_a_key_the_office_never_pinned_is_refused(
    world: World, tmp_path: Path
) -> None:
    """The insider makes their own 'rotation' to a key they hold: the office refuses it."""
    world.trust(world.justice)
    first = world.export(world.justice)
    assert outcome(world.office.office.import_packages([first])).accepted
    # A unit the office never pinned rotates (its own old key signs the statement).
    world.police.users.add("canbo", Role.CLERK, CLERK_PASS)
    world.police.users.set_disabled("canbo")
    police_package = world.export(world.police)
    fake = tmp_path / "stick" / "fake"
    shutil.copytree(police_package, fake)
    # and claims it for the pinned unit
    with pytest.raises(RotationRefused) as raised:
        world.office.office.rotate(JUSTICE.code, fake, world.police.unit_info().key_fingerprint)
    assert "does not verify under the key pinned" in raised.value.render("en")
    # A statement signed by a stranger's key in a package signed by the new key: refused too.
    record = unit.get(world.justice.vault.connection)
    assert record is not None
    stranger, new = generate_unit_key(), generate_unit_key()
    data, signature = build_statement(JUSTICE.code, stranger, new, 2, "forged", "2026-11-02")
    forged = tmp_path / "forged"
    shutil.copytree(first, forged)
    (forged / ROTATION_STATEMENT).write_bytes(data)
    (forged / ROTATION_SIGNATURE).write_text(signature)
    with pytest.raises(RotationRefused):
        world.office.office.rotate(JUSTICE.code, forged, new.public.hex())
    assert not any(u.retired for u in world.office.office.trusted_units(include_retired=True))


def test_a_statement_with_a_tampered_new_key_is_refused(world: World, tmp_path: Path) -> None:
    second, _copy, _old = rotated(world, tmp_path)
    attacker = generate_unit_key()
    body = json.loads((second / ROTATION_STATEMENT).read_text("utf-8"))
    body["new_public_key"] = minisign.public_key_file(attacker, "x").splitlines()[1]
    tampered = tmp_path / "tampered"
    shutil.copytree(second, tampered)
    body["new_key_fingerprint"] = fingerprint(attacker.public)
    (tampered / ROTATION_STATEMENT).write_text(json.dumps(body), "utf-8")
    # Even with SHA256SUMS recomputed (it is signed, so this alone would be caught too).
    files = {
        name: (tampered / name).read_bytes()
        for name in parse_checksum_list((tampered / CHECKSUMS).read_bytes())
    }
    (tampered / CHECKSUMS).write_bytes(checksum_list(files))
    assert parse_statement((tampered / ROTATION_STATEMENT).read_bytes()).new_public == (
        attacker.public
    )
    with pytest.raises(RotationRefused) as raised:
        world.office.office.rotate(JUSTICE.code, tampered, fingerprint(attacker.public))
    assert "does not verify under the key pinned" in raised.value.render("en")
    assert not any(u.retired for u in world.office.office.trusted_units(include_retired=True))


def test_rotation_on_demand_needs_a_countersignature(world: World) -> None:
    before = world.justice.unit_info().key_fingerprint
    with pytest.raises(CountersignatureRequired):
        world.justice.users.rotate_unit_key(None, "yearly")
    with pytest.raises(CountersignatureRequired):
        world.justice.users.rotate_unit_key(world.justice.users.countersign("admin", PASSPHRASE))
    rotation = world.justice.users.rotate_unit_key(
        world.justice.users.countersign("head", HEAD_PASS), "yearly"
    )
    assert rotation.reason == "yearly" and world.justice.unit_info().key_fingerprint != before
    event = world.justice.audit.events(action_prefix="unit.key_rotated")[0]
    assert event.detail["countersigned_by"] == "head" and event.detail["from_seq"] == 1


def test_a_package_signed_by_the_old_key_before_the_rotation_is_still_accepted(
    world: World, tmp_path: Path
) -> None:
    world.trust(world.justice)
    first = world.export(world.justice)  # made before the rotation, carried later
    world.justice.users.set_disabled("canbo")
    second = world.export(world.justice)
    world.office.office.rotate(JUSTICE.code, second, world.justice.unit_info().key_fingerprint)
    outcomes = world.office.office.import_packages([first, second])
    assert [(o.accepted, o.seq) for o in outcomes] == [(True, 1), (True, 2)]
