"""Pinning unit keys at the office (services/office/keys.py): the unit code comes from the
paper report, never from the unsigned comment of unit.pub; a key pinned by mistake is retired
(audited, the row kept) and the right one pinned; pinned keys are never changed in place; keys
sharing a key id are each tried (review p02)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.crypto import minisign
from secretdesk.crypto.signing import UnitKey, fingerprint, generate_unit_key
from secretdesk.services.exports import unit_pub_comment
from secretdesk.services.office import TrustRefused, UnknownUnitKey, UntrustRefused
from secretdesk.storage.sqlite import DatabaseError
from tests.integration import two_vaults
from tests.integration.two_vaults import POLICE, create, export, resign, trust, unit_key


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Path, App, App]]:
    yield from two_vaults.world(tmp_path)


def test_trust_needs_the_code_and_refuses_a_comment_naming_another_unit(
    world: tuple[Path, App, App], tmp_path: Path
) -> None:
    out, _justice, office = world
    police = create(tmp_path / "police", POLICE)
    try:
        pub = police.exports.public_key_text()
        lying = pub.replace(
            "SecretDesk unit key CA-QNG (Công an tỉnh Quảng Ngãi)",
            "SecretDesk unit key STP-QNG (Sở Tư pháp tỉnh Quảng Ngãi)",
        )
        fingerprint = police.unit_info().key_fingerprint
        with pytest.raises(TypeError):
            office.office.trust(lying, fingerprint)  # type: ignore[call-arg]
        with pytest.raises(TrustRefused) as raised:
            office.office.trust(lying, fingerprint, code="CA-QNG")
        assert "the key file is for unit STP-QNG, not CA-QNG" in raised.value.render("en")
        with pytest.raises(TrustRefused):
            office.office.trust(pub, fingerprint, code="bad code!")
        assert office.office.trusted_units() == []

        # a key file without SecretDesk's comment is pinned under the code typed
        bare = "untrusted comment: minisign public key\n" + pub.split("\n", 1)[1]
        pinned = office.office.trust(bare, fingerprint, code="CA-QNG")
        assert (pinned.code, pinned.name) == ("CA-QNG", "CA-QNG")
        assert office.office.import_packages([export(police, out)])[0].accepted
    finally:
        police.close()


def test_a_wrong_pin_is_retired_and_the_right_key_pinned(
    world: tuple[Path, App, App], tmp_path: Path
) -> None:
    out, justice, office = world
    police = create(tmp_path / "police", POLICE)
    try:
        # the clerk mistakenly pins the police key as STP-QNG (a key file without a comment)
        police_pub = police.exports.public_key_text()
        bare = "untrusted comment: minisign public key\n" + police_pub.split("\n", 1)[1]
        office.office.trust(bare, police.unit_info().key_fingerprint, code="STP-QNG")
        with pytest.raises(TrustRefused) as raised:
            trust(office, justice)
        assert "office untrust" in raised.value.render("en")
        assert "office untrust" in raised.value.render("vi")
        forged = resign(tmp_path, export(police, out), unit_key(police), code="STP-QNG", seq=1)

        with pytest.raises(UntrustRefused):
            office.office.untrust("STP-QNG", reason="   ")
        with pytest.raises(UntrustRefused):
            office.office.untrust("XX-QNG", reason="no such unit")
        retired = office.office.untrust("STP-QNG", reason="  pinned the police key  by mistake ")
        assert retired.retired and retired.retired_reason == "pinned the police key by mistake"
        event = office.audit.events(limit=1, action_prefix="office.")[0]
        assert event.action == "office.unit_untrusted"
        assert event.detail["reason"] == "pinned the police key by mistake"
        assert event.detail["fingerprint"] == police.unit_info().key_fingerprint

        # the retired key is no longer used; the right one can now be pinned
        (rejected,) = office.office.import_packages([forged])
        assert isinstance(rejected.reason, UnknownUnitKey)
        trust(office, justice)
        assert [u.fingerprint for u in office.office.trusted_units()] == [
            justice.unit_info().key_fingerprint
        ]
        every = office.office.trusted_units(include_retired=True)
        assert [(u.code, u.retired) for u in every] == [("STP-QNG", True), ("STP-QNG", False)]
        assert office.office.import_packages([export(justice, out)])[0].accepted
        assert office.audit.verify().ok
    finally:
        police.close()


def test_pinned_keys_are_never_changed_except_retired_once(
    world: tuple[Path, App, App],
) -> None:
    _out, justice, office = world
    trust(office, justice)
    office.office.untrust("STP-QNG", reason="replaced")
    conn = office.vault.connection
    for sql in (
        "UPDATE trusted_unit SET code = 'CA-QNG'",
        "UPDATE trusted_unit SET retired_reason = 'other'",
        "UPDATE trusted_unit SET retired_at = NULL, retired_by = NULL, retired_reason = NULL",
        "DELETE FROM trusted_unit",
    ):
        with pytest.raises(DatabaseError), office.vault.transaction():
            conn.execute(sql)
    assert [u.retired_reason for u in office.office.trusted_units(include_retired=True)] == [
        "replaced"
    ]


def test_keys_sharing_a_key_id_are_each_tried(world: tuple[Path, App, App], tmp_path: Path) -> None:
    """A key id is chosen by the key's owner: a second unit may use the first one's."""
    out, justice, office = world
    trust(office, justice)
    genuine = export(justice, out)
    other = generate_unit_key()
    twin = UnitKey(other.private, other.public, unit_key(justice).key_id)
    twin_pub = minisign.public_key_file(twin, unit_pub_comment("CA-QNG", POLICE.name))
    office.office.trust(twin_pub, fingerprint(twin.public), code="CA-QNG")
    assert {u.key_id for u in office.office.trusted_units()} == {minisign.key_id_text(twin.key_id)}
    twin_package = resign(tmp_path, genuine, twin, code="CA-QNG", seq=1)
    outcomes = office.office.import_packages([genuine, twin_package])
    assert [(o.accepted, o.unit_code) for o in outcomes] == [(True, "STP-QNG"), (True, "CA-QNG")]
