"""The held-out attacks of issue 13 against the office: an insider with a clerk's key rewrites
the audit log, or restores an older copy of the vault and burns the reused numbers. Both leave
a log that is consistent in itself, and both are refused by the office, whose reference tree
head never moves on a refused package."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.items import Direction
from secretdesk.domain.levels import Level
from secretdesk.services.exports import ExportService, checkpoint_text, encode_report
from secretdesk.services.office import FiguresContradict, HistoryRewritten, UnitRolledBack
from secretdesk.storage import audit, office
from secretdesk.transfer.errors import NotEnoughSpace
from secretdesk.transfer.layout import format_trusted_comment
from secretdesk.transfer.package import FileOps, write_package
from tests.helpers import PASSPHRASE, fixed_clock
from tests.integration.test_audit_chain import rewrite_history
from tests.integration.test_office import World, outcome, register, unit_key


@pytest.fixture(name="world")
def world_fixture(tmp_path: Path) -> Iterator[World]:
    made = World(tmp_path)
    yield made
    made.close()


def reference_head(world: World) -> tuple[int, int, str] | None:
    return office.last_tree_head(world.office.vault.connection, "STP-QNG", 10**9)


def test_a_package_carries_a_signed_tree_head_with_proofs_from_every_earlier_export(
    world: World,
) -> None:
    world.trust(world.justice)
    first = world.export(world.justice)
    register(world.justice, Direction.OUTGOING, "1/QĐ-STP", Level.MAT)
    second = world.export(world.justice)
    report = json.loads((second / "report.json").read_text(encoding="utf-8"))
    tree = report["tree"]
    earlier = json.loads((first / "report.json").read_text(encoding="utf-8"))["tree"]
    assert [e["size"] for e in tree["consistency"]] == [earlier["size"]]
    assert tree["consistency"][0]["root"] == earlier["root"]
    checkpoint = (second / "checkpoint.txt").read_text(encoding="utf-8")
    assert f"tree_head: {tree['size']}:{tree['root']}\n" in checkpoint
    minisig = (second / "SHA256SUMS.minisig").read_text(encoding="utf-8")
    assert f"tree={tree['size']}:{tree['root']}" in minisig
    outcomes = world.office.office.import_packages([first, second])
    assert [o.accepted for o in outcomes] == [True, True]
    assert reference_head(world) == (2, tree["size"], tree["root"])


def test_a_clerks_key_rewrite_of_the_history_is_refused_by_the_office(world: World) -> None:
    """Drop the triggers, cut an event out, recompute chain and tree: `audit verify` says
    intact, the office refuses the next package and keeps its reference head."""
    world.trust(world.justice)
    justice = world.justice
    register(justice, Direction.OUTGOING, "20/QĐ-STP", Level.MAT)
    register(justice, Direction.OUTGOING, "21/QĐ-STP", Level.TOI_MAT)
    first = world.export(justice)
    assert outcome(world.office.office.import_packages([first])).accepted
    before = reference_head(world)

    conn = justice.vault.connection
    victim = next(e.seq for e in audit.events(conn) if e.action.startswith("item."))
    rewrite_history(conn, drop_seq=victim)
    assert justice.audit.verify().ok  # consistent in itself: caught only by a head outside
    second = world.export(justice)
    refused = outcome(world.office.office.import_packages([second]))
    assert not refused.accepted and refused.alarm
    assert isinstance(refused.reason, HistoryRewritten)
    message = refused.reason.render("en")
    assert "history rewritten or rolled back since package 1" in message
    assert "does not verify" in message
    assert reference_head(world) == before
    alarms = world.office.audit.events(action_prefix="office.unit_rolled_back")
    assert [a.detail["reason"] for a in alarms] == ["office.history_rewritten"]


def test_a_rewrite_that_leaves_the_export_events_alone_is_caught_locally(world: World) -> None:
    """The tree heads a unit exported are in its own log: a rewrite that does not forge them
    too is caught by `audit verify` and self-test without any help from outside."""
    justice = world.justice
    register(justice, Direction.OUTGOING, "22/QĐ-STP", Level.MAT)
    world.export(justice)
    conn = justice.vault.connection
    victim = next(e.seq for e in audit.events(conn) if e.action.startswith("item."))
    rewrite_history(conn, drop_seq=victim, forge_exports=False)
    verified = justice.audit.verify()
    assert not verified.ok and "no longer extends tree head" in verified.reason


def test_a_rollback_with_burnt_numbers_and_a_head_pushed_past_the_old_one_is_refused(
    world: World, tmp_path: Path
) -> None:
    """Restore an older copy, burn the reused numbers into a scratch folder, make events until
    the chain head passes the old one, export: refused; the genuine vault's next package is
    still accepted (the refused package did not move the reference head)."""
    world.trust(world.justice)
    first = world.export(world.justice)
    world.justice.close()
    shutil.copytree(tmp_path / "justice", tmp_path / "justice-old")  # an older backup
    current = app_module.unlock(tmp_path / "justice", "admin", PASSPHRASE, fixed_clock())
    for number in range(3):
        register(current, Direction.OUTGOING, f"{30 + number}/QĐ-STP", Level.MAT)
    second, third = world.export(current), world.export(current)
    assert all(o.accepted for o in world.office.office.import_packages([first, second, third]))
    before = reference_head(world)
    assert before is not None
    old_head = current.audit.head().seq

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    old = app_module.unlock(tmp_path / "justice-old", "admin", PASSPHRASE, fixed_clock())
    with old:
        for _ in range(2):  # numbers 2 and 3 again, thrown away
            old.exports.export("audit", "2026", scratch, explicitly_chosen_folder=True)
        while old.audit.head().seq <= old_head + 5:
            register(old, Direction.INTERNAL, f"x{old.audit.head().seq}", Level.MAT)
        forged = world.export(old)
    assert forged.name.endswith("_4")
    refused = outcome(world.office.office.import_packages([forged]))
    assert not refused.accepted and refused.alarm
    assert isinstance(refused.reason, HistoryRewritten | UnitRolledBack)
    assert "history rewritten or rolled back since package 3" in refused.reason.render("en")
    assert reference_head(world) == before

    shutil.rmtree(forged)  # the same name as the genuine package 4 on the stick
    with current:
        genuine = world.export(current)
    accepted = outcome(world.office.office.import_packages([genuine]))
    assert accepted.accepted and accepted.warnings == ()


def resigned(world: World, genuine: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """The package re-signed with the unit's own key after ``edit(report)``."""
    report = json.loads((genuine / "report.json").read_text(encoding="utf-8"))
    edit(report)
    fields = {k: report[k] for k in ("kind", "period", "seq")}
    head = f"{report['chain_head']['seq']}:{report['chain_head']['hash']}"
    comment = {"unit": "STP-QNG", **fields, "head": head}
    if "tree" in report:
        comment["tree"] = f"{report['tree']['size']}:{report['tree']['root']}"
    files = {n: (genuine / n).read_bytes() for n in ("report.pdf",)}
    files["report.json"] = encode_report(report)
    files["checkpoint.txt"] = checkpoint_text(
        comment, report["generated_at"], report["unit"]["key_fingerprint"]
    )
    out = world.base / "forged"
    out.mkdir(exist_ok=True)
    return write_package(
        out,
        genuine.name,
        files,
        unit_key(world.justice),
        format_trusted_comment(comment),
        unit_pub_comment="SecretDesk unit key STP-QNG (x)",
    )


def test_a_package_that_drops_its_tree_or_its_proof_is_refused(world: World) -> None:
    world.trust(world.justice)
    assert outcome(world.office.office.import_packages([world.export(world.justice)])).accepted
    register(world.justice, Direction.OUTGOING, "40/QĐ-STP", Level.MAT)
    genuine = world.export(world.justice)
    before = reference_head(world)

    def no_tree(report):  # type: ignore[no-untyped-def]
        del report["tree"]

    def no_proof(report):  # type: ignore[no-untyped-def]
        report["tree"]["consistency"] = []

    def bad_proof(report):  # type: ignore[no-untyped-def]
        report["tree"]["consistency"][0]["proof"][0] = "0" * 64

    def shorter(report):  # type: ignore[no-untyped-def]
        report["tree"] = {"size": 1, "root": "1" * 64, "consistency": []}

    reasons = {}
    for edit in (no_tree, no_proof, bad_proof, shorter):
        forged = resigned(world, genuine, edit)
        result = outcome(world.office.office.import_packages([forged]))
        shutil.rmtree(forged)
        assert not result.accepted, edit.__name__
        reasons[edit.__name__] = result.reason.render("en") if result.reason else ""
    assert "no audit tree head" in reasons["no_tree"]
    assert "no consistency proof" in reasons["no_proof"]
    assert "does not lead to the signed head" in reasons["bad_proof"]  # caught by verify
    assert "shorter" in reasons["shorter"]
    assert reference_head(world) == before
    assert outcome(world.office.office.import_packages([genuine])).accepted


class NoSpace(FileOps):
    def free_space(self, path: Path) -> tuple[int, int]:
        return 1024, 4096


def test_a_refused_export_takes_no_sequence_number(world: World) -> None:
    """No space on the stick: refused before the number is reserved, so no gap later."""
    justice = world.justice
    head = justice.audit.head()
    full = ExportService(justice.ctx, ops=NoSpace())
    with pytest.raises(NotEnoughSpace):
        full.export("annual", "2026", world.out, explicitly_chosen_folder=True)
    assert office.last_export_seq(justice.vault.connection) == 0
    assert justice.audit.head() == head  # not even an export.started event
    assert list(world.out.iterdir()) == []
    assert world.export(justice).name.endswith("_1")


def test_the_office_judges_the_figures(world: World) -> None:
    world.trust(world.justice)
    register(world.justice, Direction.INCOMING, "7/UBND", Level.MAT)
    genuine = world.export(world.justice)

    def inflated(report):  # type: ignore[no-untyped-def]
        report["statistics"]["held_by_level"]["mat"] = 10**12

    def disagreeing(report):  # type: ignore[no-untyped-def]
        report["statistics"]["events"]["registered_incoming"]["mat"] += 1

    def ragged(report):  # type: ignore[no-untyped-def]
        report["dispatched"] = [
            {
                "number": "1/2026",
                "date": "2026-10-02",
                "to_body": "Công an tỉnh",
                "number_symbols": ["1/QĐ", "2/QĐ"],
                "levels": ["mat"],
            }
        ]

    reasons = {}
    for edit in (inflated, disagreeing, ragged):
        forged = resigned(world, genuine, edit)
        result = outcome(world.office.office.import_packages([forged]))
        shutil.rmtree(forged)
        assert not result.accepted and isinstance(result.reason, FiguresContradict), edit.__name__
        reasons[edit.__name__] = result.reason.render("en")
    assert "whole number between 0 and" in reasons["inflated"]
    assert "not the ones listed" in reasons["disagreeing"]
    assert "different lengths" in reasons["ragged"]
    assert outcome(world.office.office.import_packages([genuine])).accepted
