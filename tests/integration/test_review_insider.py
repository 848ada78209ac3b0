"""Adversarial review of issue 12 (insider): findings left after the first round."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from tests.helpers import new_app, run_cli

CLERK_PASS = "clerk passphrase long"


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
