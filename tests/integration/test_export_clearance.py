"""report.json's dispatched and received lists name every item (the office reconciles
handovers by them), so a package is not made by someone cleared below a record in them: the
export is refused, saying how many records and who may export it, and takes no number. The
office's counts and reconciliation stay whole (issue 12, clearance)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.domain.items import Direction
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.exports.errors import ExportRefused
from tests.helpers import fixed_clock, run_cli
from tests.integration.test_office import (
    JUSTICE,
    POLICE,
    World,
    dispatch,
    outcome,
    register,
)

CLERK_PASS = "clerk passphrase long"


@pytest.fixture
def world(tmp_path: Path):
    made = World(tmp_path)
    justice, police = made.justice, made.police
    top = register(justice, Direction.OUTGOING, "5/QĐ-STP-TM", Level.TUYET_MAT)
    low = register(justice, Direction.OUTGOING, "6/QĐ-STP", Level.MAT)
    dispatch(justice, [top.id, low.id], to=POLICE.name)
    register(justice, Direction.INCOMING, "9/CV-CA-TM", Level.TUYET_MAT, issuer=POLICE.name)
    register(police, Direction.INCOMING, "5/QĐ-STP-TM", Level.TUYET_MAT, issuer=JUSTICE.name)
    register(police, Direction.INCOMING, "6/QĐ-STP", Level.MAT, issuer=JUSTICE.name)
    police_top = register(police, Direction.OUTGOING, "9/CV-CA-TM", Level.TUYET_MAT)
    dispatch(police, [police_top.id], to=JUSTICE.name)
    justice.users.add("canbo", Role.CLERK, CLERK_PASS, clearance=Level.MAT)
    yield made
    made.close()


def _clerk(world: World) -> App:
    return app_module.unlock(world.base / "justice", "canbo", CLERK_PASS, fixed_clock())


@pytest.mark.parametrize("kind", ["annual", "registers"])
def test_a_clerk_cleared_below_a_listed_record_cannot_export_it(world: World, kind: str) -> None:
    with _clerk(world) as clerk, pytest.raises(ExportRefused) as refused:
        clerk.exports.export(kind, "2026", world.out, explicitly_chosen_folder=True)
    said = refused.value.render("en")
    assert "2 dispatched or received records above your clearance" in said
    assert "admin" in said and "canbo" not in said.split("cleared for it:")[1]
    assert "QĐ-STP-TM" not in said and "CV-CA-TM" not in said
    assert "bản ghi" in refused.value.render("vi")
    assert list(world.out.iterdir()) == []
    # The refusal took no number: the administrator's package is number 1.
    assert world.export(world.justice, kind).name.endswith("_1")


def test_the_refusal_on_the_command_line(world: World) -> None:
    world.justice.close()
    result = run_cli(
        "--data-dir",
        str(world.base / "justice"),
        "--user",
        "canbo",
        "--lang",
        "en",
        "export",
        "--kind",
        "annual",
        "--period",
        "2026",
        "--to",
        str(world.out),
        "--folder",
        env={"SECRETDESK_PASSPHRASE": CLERK_PASS},
    )
    assert result.returncode == 1
    assert "above your clearance" in result.stderr and "Nothing was exported." in result.stderr


def test_a_clerk_cleared_for_everything_listed_still_exports(world: World) -> None:
    world.justice.users.add("vanthu2", Role.CLERK, "second clerk pass", clearance=Level.TUYET_MAT)
    world.justice.close()
    with app_module.unlock(
        world.base / "justice", "vanthu2", "second clerk pass", fixed_clock()
    ) as cleared:
        written = cleared.exports.export("annual", "2026", world.out, explicitly_chosen_folder=True)
    folder = written.folder
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert "5/QĐ-STP-TM" in report["dispatched"][0]["number_symbols"]


def test_the_office_counts_and_reconciles_the_cleared_packages(world: World) -> None:
    """The office side: the packages made by a cleared user hold every name, so the counts
    agree with the lists and the Tuyệt mật handover is reconciled (no false discrepancy)."""
    world.trust(world.justice)
    world.trust(world.police)
    outcomes = world.office.office.import_packages(
        [world.export(world.justice), world.export(world.police)]
    )
    assert all(o.accepted for o in outcomes), [o.reason for o in outcomes]
    assert world.office.office.reconcile("2026") == []
    totals = world.office.office.summary("2026").to_json()
    assert totals["events"]["registered_incoming"]["tuyet-mat"] == 2
    assert outcome(world.office.office.import_packages([world.export(world.justice)])).accepted
