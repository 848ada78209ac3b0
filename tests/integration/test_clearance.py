"""Clearance (issue 12): a user cleared for Mật sees no Tối mật or Tuyệt mật record in
lists, search, show, printed registers, inventories or exports, and is told how many were
left out."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.cli.main import main
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.items import NotCleared
from secretdesk.services.users import CountersignatureRequired
from tests.helpers import PASSPHRASE, fixed_clock, new_app

CLERK_PASS = "clerk passphrase long"
HEAD_PASS = "head passphrase long"
SYMBOLS = {Level.MAT: "1/KH-MAT", Level.TOI_MAT: "2/KH-TOIMAT", Level.TUYET_MAT: "3/KH-TUYETMAT"}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    app, _ = new_app(tmp_path / "v")
    with app:
        for level, symbol in SYMBOLS.items():
            registration = Registration(Direction.OUTGOING, level, symbol, date(2026, 10, 1), 1)
            app.items.register(registration)
        app.drafts.add("Dự thảo mật", Level.MAT)
        app.drafts.add("Dự thảo tối mật", Level.TOI_MAT)
        app.users.add("canbo", Role.CLERK, CLERK_PASS, clearance=Level.MAT)
        app.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
    return tmp_path / "v"


def clerk(vault: Path) -> App:
    return app_module.unlock(vault, "canbo", CLERK_PASS, fixed_clock())


def test_lists_search_and_show_leave_out_what_is_above_clearance(vault: Path) -> None:
    with clerk(vault) as app:
        assert [i.number_symbol for i in app.items.search()] == ["1/KH-MAT"]
        assert app.items.search("KH-TOIMAT") == [] and app.items.hidden_count("KH-TOIMAT") == 1
        assert app.items.hidden_count() == 2
        assert app.items.search(level=Level.TUYET_MAT) == []
        ids = {i.number_symbol: i.id for i in app_module.unlock(vault, "admin", PASSPHRASE)
               .items.search()}  # fmt: skip
        app.items.show(ids["1/KH-MAT"])
        for symbol in ("2/KH-TOIMAT", "3/KH-TUYETMAT"):
            with pytest.raises(NotCleared):
                app.items.show(ids[symbol])
        refused = app.audit.events(action_prefix="item.view_refused")
        assert len(refused) == 2
        # The warning list of expiring items and the drafts follow the same clearance.
        long_after = date(2060, 1, 1)  # every one of the three has expired by then
        assert [w.level for w in app.classification.expiring(long_after)] == [Level.MAT]
        assert [d.title for d in app.drafts.list()] == ["Dự thảo mật"]
    with app_module.unlock(vault, "admin", PASSPHRASE, fixed_clock()) as admin:
        assert len(admin.classification.expiring(long_after)) == 3
        assert len(admin.drafts.list()) == 2


def test_registers_inventories_and_exports_leave_them_out_and_say_so(
    vault: Path, tmp_path: Path
) -> None:
    with clerk(vault) as app:
        register = app.printing.register_data("outgoing", 2026)
        assert [e.cells["number_symbol"] for e in register.entries] == ["1/KH-MAT"]
        assert register.hidden == 2
        inventory = app.inventory.inventory(date(2026, 11, 2))
        assert {line.number_symbol for line in inventory.lines} == {"1/KH-MAT"}
        assert inventory.hidden == 2
        pdf = app.printing.inventory(date(2026, 11, 2))
        assert pdf.startswith(b"%PDF")
        result = app.exports.export("registers", "2026", tmp_path, explicitly_chosen_folder=True)
    report = (result.folder / "report.json").read_text(encoding="utf-8")
    assert "1/KH-MAT" in report and "KH-TOIMAT" not in report and "KH-TUYETMAT" not in report
    with app_module.unlock(vault, "admin", PASSPHRASE, fixed_clock()) as admin:
        assert admin.printing.register_data("outgoing", 2026).hidden == 0
        assert len(admin.items.search()) == 3


def test_opening_a_tuyet_mat_record_is_an_audit_event(vault: Path) -> None:
    with app_module.unlock(vault, "admin", PASSPHRASE, fixed_clock()) as admin:
        top = next(i for i in admin.items.search() if i.level is Level.TUYET_MAT)
        admin.items.show(top.id)
        assert admin.audit.events(action_prefix="item.viewed")[-1].entity_id == str(top.id)


def test_clearance_is_raised_only_with_a_countersignature_on_the_cli(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SECRETDESK_PASSPHRASE", PASSPHRASE)
    base = ["--lang", "en", "--json", "--data-dir", str(vault), "--user", "admin"]
    admin = app_module.unlock(vault, "admin", PASSPHRASE, fixed_clock())
    with admin, pytest.raises(CountersignatureRequired):
        admin.users.set_clearance("canbo", Level.TUYET_MAT, None)
    monkeypatch.setenv("SECRETDESK_APPROVER_PASSPHRASE", PASSPHRASE)
    assert main([*base, "user", "clearance", "canbo", "toi-mat", "--approver", "admin"]) == 1
    assert "countersignature" in capsys.readouterr().err
    monkeypatch.setenv("SECRETDESK_APPROVER_PASSPHRASE", HEAD_PASS)
    assert main([*base, "user", "clearance", "canbo", "toi-mat", "--approver", "head"]) == 0
    assert json.loads(capsys.readouterr().out)["clearance"] == "toi-mat"
    monkeypatch.setenv("SECRETDESK_PASSPHRASE", CLERK_PASS)
    clerk_base = ["--lang", "en", "--data-dir", str(vault), "--user", "canbo"]
    assert main([*clerk_base, "item", "list"]) == 0
    out = capsys.readouterr().out
    assert "KH-TOIMAT" in out and "KH-TUYETMAT" not in out
    assert "Records above your clearance left out: 1." in out
    monkeypatch.setenv("SECRETDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SECRETDESK_NEW_PASSPHRASE", "another clerk passphrase")
    assert main([*base, "user", "add", "canbo2", "--role", "clerk", "--clearance", "mat"]) == 0
    assert json.loads(capsys.readouterr().out)["clearance"] == "mat"
