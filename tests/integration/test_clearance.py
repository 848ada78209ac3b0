"""Clearance (issue 12): a user cleared for Mật sees no Tối mật or Tuyệt mật record in
lists, search, show, printed registers, inventories or exports, and is told how many were
left out."""

from __future__ import annotations

import json
import subprocess
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
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli

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


# -- print paths that still showed records above clearance (review) ----------------------------
def test_the_statistics_list_leaves_out_what_is_above_clearance_and_says_so(
    tmp_path: Path,
) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        for level, symbol in SYMBOLS.items():
            registration = Registration(Direction.OUTGOING, level, symbol, date(2026, 10, 1), 1)
            app.items.register(registration)
        app.users.add("canbo", Role.CLERK, CLERK_PASS, clearance=Level.MAT)
    with app_module.unlock(tmp_path / "v", "canbo", CLERK_PASS, fixed_clock()) as clerk:
        data = clerk.printing.statistics_list_data(2026)
        assert [r.number_symbol for r in data.rows] == ["1/KH-MAT"]
        assert data.hidden == 2
        pdf = tmp_path / "stat.pdf"
        pdf.write_bytes(clerk.printing.statistics_list(2026))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "KH-TOIMAT" not in text and "KH-TUYETMAT" not in text
    assert "không gồm 2 mục" in text


def test_slips_and_labels_naming_a_record_above_clearance_are_refused(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        top = Registration(
            Direction.OUTGOING, Level.TUYET_MAT, "3/KH-TUYETMAT", date(2026, 10, 1), 1
        )
        item = app.items.register(top)
        copy_id = app.items.show(item.id).copies[0].id
        sent = app.handovers.create("issue", [copy_id], recipient_person="Lê B")
        app.users.add("canbo", Role.CLERK, CLERK_PASS, clearance=Level.MAT)
    with app_module.unlock(tmp_path / "v", "canbo", CLERK_PASS, fixed_clock()) as clerk:
        with pytest.raises(NotCleared):
            clerk.printing.slip(sent.year, sent.number)
        with pytest.raises(NotCleared):
            clerk.printing.envelope_labels(sent.year, sent.number)
        with pytest.raises(NotCleared):
            clerk.printing.copy_labels(item.id)
        refused = clerk.audit.events(action_prefix="print.refused_clearance")
        assert len(refused) == 3
        assert clerk.audit.events(action_prefix="print.slip") == []


# -- lists through the CLI leave out what is above clearance (review) --------------------------
def _vault_with_a_top_secret_handover(tmp_path: Path) -> Path:
    app, _ = new_app(tmp_path / "v")
    with app:
        low = Registration(Direction.OUTGOING, Level.MAT, "1/KH-MAT", date(2026, 10, 1), 1)
        top = Registration(
            Direction.OUTGOING, Level.TUYET_MAT, "3/KH-TUYETMAT", date(2026, 10, 1), 1
        )
        low_item = app.items.register(low)
        top_item = app.items.register(top)
        low_copy = app.items.show(low_item.id).copies[0].id
        top_copy = app.items.show(top_item.id).copies[0].id
        app.handovers.create("issue", [low_copy], recipient_person="Trần Thấp")
        app.handovers.create("issue", [top_copy], recipient_person="Nguyễn Tuyệt")
        app.users.add("canbo", Role.CLERK, CLERK_PASS, clearance=Level.MAT)
    return tmp_path / "v"


def _as_clerk(data_dir: Path, *args: str) -> str:
    base = ("--data-dir", str(data_dir), "--user", "canbo", "--lang", "en")
    result = run_cli(*base, *args, env={"SECRETDESK_PASSPHRASE": CLERK_PASS})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_audit_list_leaves_out_events_about_records_above_clearance(tmp_path: Path) -> None:
    data_dir = _vault_with_a_top_secret_handover(tmp_path)
    out = _as_clerk(data_dir, "audit", "list", "--limit", "200")
    assert "KH-TUYETMAT" not in out and "tuyet-mat" not in out
    assert "Nguyễn Tuyệt" not in out
    assert "1/KH-MAT" in out
    assert "Records above your clearance left out:" in out


def test_handover_list_leaves_out_handovers_of_records_above_clearance(tmp_path: Path) -> None:
    data_dir = _vault_with_a_top_secret_handover(tmp_path)
    out = _as_clerk(data_dir, "handover", "list")
    assert "Trần Thấp" in out
    assert "Nguyễn Tuyệt" not in out
    assert "Records above your clearance left out: 1." in out
