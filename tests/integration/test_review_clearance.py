"""Adversarial review of issue 12 (clearance): print paths that still showed records above
the reader's clearance."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.items import NotCleared
from tests.helpers import fixed_clock, new_app

CLERK_PASS = "clerk passphrase long"
SYMBOLS = {Level.MAT: "1/KH-MAT", Level.TOI_MAT: "2/KH-TOIMAT", Level.TUYET_MAT: "3/KH-TUYETMAT"}


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
