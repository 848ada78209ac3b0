"""The supervising office: pinning unit keys, importing packages, consolidating, reconciling.

Two real unit vaults export signed packages; a third vault is the office.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.crypto.signing import UnitKey
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.numbering import number_ranges
from secretdesk.services.office import (
    NOT_DISPATCHED,
    NOT_RECEIVED,
    AlreadyImported,
    FingerprintMismatch,
    ImportOutcome,
    OlderThanLatest,
    PackageInvalid,
    SequenceGap,
    TrustRefused,
    UnitClaimMismatch,
    UnitRolledBack,
    UnknownUnitKey,
    find_packages,
)
from secretdesk.services.setup import UnitSetup
from secretdesk.storage import items, unit
from secretdesk.transfer.layout import format_trusted_comment
from secretdesk.transfer.package import write_package
from tests.helpers import PASSPHRASE, fixed_clock

JUSTICE = UnitSetup("Sở Tư pháp tỉnh Quảng Ngãi", "STP-QNG", "Ủy ban nhân dân tỉnh Quảng Ngãi")
POLICE = UnitSetup("Công an tỉnh Quảng Ngãi", "CA-QNG", "Bộ Công an")
OFFICE = UnitSetup("Ban Chỉ đạo công tác bảo vệ bí mật nhà nước tỉnh Quảng Ngãi", "BCD-QNG")


def create(folder: Path, setup: UnitSetup) -> App:
    opened, _code = app_module.create(
        folder, setup, "admin", PASSPHRASE, params=TEST_PARAMS, clock=fixed_clock()
    )
    return opened


def register(opened: App, direction: Direction, symbol: str, level: Level, issuer: str = ""):
    return opened.items.register(
        Registration(
            direction=direction,
            level=level,
            number_symbol=symbol,
            doc_date=date(2026, 10, 1),
            copies=1,
            issuer=issuer,
        )
    )


def dispatch(opened: App, item_ids: list[int], to: str) -> None:
    conn = opened.vault.connection
    copies = [items.copies_of(conn, item_id)[0].id for item_id in item_ids]
    opened.handovers.create("dispatch", copies, recipient_body=to)


class World:
    def __init__(self, base: Path) -> None:
        self.base = base
        self.out = base / "stick"
        self.out.mkdir()
        self.justice = create(base / "justice", JUSTICE)
        self.police = create(base / "police", POLICE)
        self.office = create(base / "office", OFFICE)

    def export(self, opened: App, kind: str = "annual", period: str = "2026") -> Path:
        return opened.exports.export(kind, period, self.out, explicitly_chosen_folder=True).folder

    def trust(self, opened: App) -> None:
        info = opened.unit_info()
        text = opened.exports.public_key_text()
        typed = info.key_fingerprint.lower().replace(" ", "")  # however the clerk types it
        self.office.office.trust(text, typed, code=info.code)

    def close(self) -> None:
        for opened in (self.justice, self.police, self.office):
            if opened.vault.is_open:
                opened.close()


@pytest.fixture
def world(tmp_path: Path):
    made = World(tmp_path)
    yield made
    made.close()


def outcome(outcomes: list[ImportOutcome]) -> ImportOutcome:
    assert len(outcomes) == 1
    return outcomes[0]


def unit_key(opened: App) -> UnitKey:
    record = unit.get(opened.vault.connection)
    assert record is not None
    return UnitKey(record.signing_private, record.signing_public, record.signing_key_id)


# -- pinning -------------------------------------------------------------------------------
def test_a_key_is_pinned_only_with_its_own_fingerprint(world: World) -> None:
    text = world.justice.exports.public_key_text()
    actual = world.justice.unit_info().key_fingerprint
    wrong = world.police.unit_info().key_fingerprint
    with pytest.raises(FingerprintMismatch) as raised:
        world.office.office.trust(text, wrong, code=JUSTICE.code)
    message = raised.value.render("en")
    assert wrong in message and actual in message
    assert world.office.office.trusted_units() == []

    typed = "  " + actual.lower().replace(" ", "   ") + "\n"
    pinned = world.office.office.trust(text, typed, code=JUSTICE.code)
    assert (pinned.code, pinned.name, pinned.fingerprint) == (JUSTICE.code, JUSTICE.name, actual)
    assert world.office.office.trust(text, actual, code=JUSTICE.code) == pinned  # no change
    with pytest.raises(TrustRefused):  # the same key under another code
        world.office.office.trust(text, actual, code="CA-QNG")
    event = world.office.audit.events(limit=1, action_prefix="office.")[0]
    assert event.action == "office.unit_trusted" and event.detail["fingerprint"] == actual


# -- importing -----------------------------------------------------------------------------
def test_two_units_import_and_a_replay_is_rejected(world: World) -> None:
    first, second = world.export(world.justice), world.export(world.police)
    world.trust(world.justice)
    world.trust(world.police)

    outcomes = world.office.office.import_packages([second, first])
    assert [(o.accepted, o.unit_code, o.seq, o.warnings) for o in outcomes] == [
        (True, "CA-QNG", 1, ()),
        (True, "STP-QNG", 1, ()),
    ]
    replay = outcome(world.office.office.import_packages([first]))
    assert not replay.accepted and isinstance(replay.reason, AlreadyImported)
    assert "replay" in replay.reason.render("en")
    actions = [e.action for e in world.office.audit.events(action_prefix="office.package")]
    assert actions == ["office.package_imported"] * 2 + ["office.package_rejected"]
    assert world.office.audit.verify().ok


def test_a_package_from_an_unpinned_key_is_rejected(world: World) -> None:
    world.trust(world.justice)
    rejected = outcome(world.office.office.import_packages([world.export(world.police)]))
    assert not rejected.accepted and isinstance(rejected.reason, UnknownUnitKey)
    assert rejected.reason.render("en").startswith("unknown unit key")


def test_a_package_signed_by_one_unit_claiming_another_is_rejected(world: World) -> None:
    world.trust(world.justice)
    world.trust(world.police)
    genuine = world.export(world.justice)
    report = json.loads((genuine / "report.json").read_text(encoding="utf-8"))
    report["unit"]["code"] = "CA-QNG"  # the report agrees with the forged claim
    head = f"{report['chain_head']['seq']}:{report['chain_head']['hash']}"
    comment = format_trusted_comment(
        {"unit": "CA-QNG", "kind": "annual", "period": "2026", "seq": 1, "head": head}
    )
    files = {
        "report.json": json.dumps(report, ensure_ascii=False).encode("utf-8"),
        "report.pdf": (genuine / "report.pdf").read_bytes(),
    }
    forged = write_package(
        world.out,
        "SecretDesk_CA-QNG_annual_2026_1",
        files,
        unit_key(world.justice),
        comment,
        unit_pub_comment="SecretDesk unit key CA-QNG (Công an tỉnh Quảng Ngãi)",
    )
    rejected = outcome(world.office.office.import_packages([forged]))
    assert isinstance(rejected.reason, UnitClaimMismatch)
    assert "CA-QNG" in rejected.reason.render("en") and "STP-QNG" in rejected.reason.render("en")


def test_a_tampered_package_is_rejected_naming_the_file(world: World) -> None:
    world.trust(world.justice)
    folder = world.export(world.justice)
    data = bytearray((folder / "report.pdf").read_bytes())
    data[len(data) // 2] ^= 0x01
    (folder / "report.pdf").write_bytes(bytes(data))
    rejected = outcome(world.office.office.import_packages([folder]))
    assert isinstance(rejected.reason, PackageInvalid)
    assert "report.pdf" in rejected.reason.render("en")


def test_a_gap_is_accepted_with_a_warning_and_an_older_package_is_refused(world: World) -> None:
    world.trust(world.justice)
    first, second, _third, fourth = (world.export(world.justice) for _ in range(4))
    assert outcome(world.office.office.import_packages([first])).accepted
    gap = outcome(world.office.office.import_packages([fourth]))
    assert gap.accepted and [type(w) for w in gap.warnings] == [SequenceGap]
    assert "packages 2-3 of unit STP-QNG" in gap.warnings[0].render("en")
    late = outcome(world.office.office.import_packages([second]))
    assert not late.accepted and isinstance(late.reason, OlderThanLatest)
    assert not late.alarm


def test_folders_given_out_of_order_are_admitted_in_sequence(world: World) -> None:
    world.trust(world.justice)
    folders = [world.export(world.justice) for _ in range(3)]
    outcomes = world.office.office.import_packages(list(reversed(folders)))
    assert [(o.seq, o.accepted, o.warnings) for o in outcomes] == [
        (3, True, ()),
        (2, True, ()),
        (1, True, ()),
    ]
    assert find_packages([world.out]) == sorted(folders)


def test_a_unit_database_rolled_back_is_rejected_loudly(world: World, tmp_path: Path) -> None:
    """The unit restores an older copy of its vault: its chain head goes backwards."""
    world.trust(world.justice)
    first = world.export(world.justice)
    world.justice.close()
    shutil.copytree(tmp_path / "justice", tmp_path / "justice-old")  # a closed vault
    current = app_module.unlock(tmp_path / "justice", "admin", PASSPHRASE, fixed_clock())
    register(current, Direction.OUTGOING, "20/QĐ-STP", Level.MAT)
    register(current, Direction.OUTGOING, "21/QĐ-STP", Level.MAT)
    second, third = world.export(current), world.export(current)
    current.close()
    accepted = world.office.office.import_packages([first, second, third])
    assert all(o.accepted for o in accepted)

    old = app_module.unlock(tmp_path / "justice-old", "admin", PASSPHRASE, fixed_clock())
    with old:
        reused = world.export(old, "audit")  # number 2 again, from the older database
        fresh = [world.export(old, "audit") for _ in range(2)]  # numbers 3 and 4
    assert reused.name.endswith("_2") and fresh[-1].name.endswith("_4")
    outcomes = world.office.office.import_packages([reused, *fresh])
    assert [o.accepted for o in outcomes] == [False, False, False]
    assert all(isinstance(o.reason, UnitRolledBack) and o.alarm for o in outcomes)
    message = outcomes[2].reason.render("en")
    assert "ROLLED BACK" in message and "package 4 of unit STP-QNG" in message
    alarms = world.office.audit.events(action_prefix="office.unit_rolled_back")
    assert len(alarms) == 3


# -- consolidating and reconciling ---------------------------------------------------------
def test_summary_sums_the_units_and_reconcile_finds_one_sided_handovers(world: World) -> None:
    justice, police = world.justice, world.police
    sent = register(justice, Direction.OUTGOING, "12/QĐ-STP", Level.TOI_MAT)
    lost = register(justice, Direction.OUTGOING, "13/QĐ-STP", Level.MAT)
    dispatch(justice, [sent.id, lost.id], to="CONG AN TINH QUANG NGAI")  # folded name of B
    register(police, Direction.INCOMING, "12/QĐ-STP", Level.TOI_MAT, issuer=JUSTICE.name)
    register(police, Direction.INCOMING, "99/QĐ-STP", Level.MAT, issuer="stp-qng")  # by code
    register(police, Direction.INCOMING, "7/CV-BCA", Level.MAT, issuer="Bộ Công an")
    world.trust(justice)
    world.trust(police)
    assert all(
        o.accepted
        for o in world.office.office.import_packages(
            [world.export(justice), world.export(police), world.export(justice, "audit")]
        )
    )

    summary = world.office.office.summary("2026")
    assert [(row.code, row.seq) for row in summary.units] == [("CA-QNG", 1), ("STP-QNG", 1)]
    assert summary.missing == ()
    totals = summary.to_json()
    assert totals["events"]["registered_outgoing"] == {"tuyet-mat": 0, "toi-mat": 1, "mat": 1}
    assert totals["events"]["registered_incoming"] == {"tuyet-mat": 0, "toi-mat": 1, "mat": 2}
    assert totals["held_by_level"] == {"tuyet-mat": 0, "toi-mat": 2, "mat": 3}
    per_unit = {row["code"]: row["held_by_level"]["mat"] for row in totals["units"]}
    assert per_unit == {"STP-QNG": 1, "CA-QNG": 2}
    assert summary.pdf.startswith(b"%PDF")

    found = world.office.office.reconcile("2026")
    assert sorted((d.kind, d.from_unit, d.to_unit, d.number_symbol) for d in found) == [
        (NOT_DISPATCHED, "STP-QNG", "CA-QNG", "99/QĐ-STP"),
        (NOT_RECEIVED, "STP-QNG", "CA-QNG", "13/QĐ-STP"),
    ]
    assert all(d.counterpart_reported for d in found)
    assert "13/QĐ-STP" in next(d for d in found if d.kind == NOT_RECEIVED).describe("vi")


def test_summary_names_units_that_sent_nothing(world: World) -> None:
    world.trust(world.justice)
    world.trust(world.police)
    world.office.office.import_packages([world.export(world.justice)])
    summary = world.office.office.summary("2026")
    assert summary.missing == ("CA-QNG",)
    assert [row.code for row in summary.units] == ["STP-QNG"]


def test_format_numbers() -> None:
    assert number_ranges([2, 3, 4, 7, 9, 10]) == "2-4, 7, 9-10"
    assert number_ranges([5]) == "5"
