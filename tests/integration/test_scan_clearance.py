"""Scans show the record they belong to (a signed slip lists its items, minutes the copies
destroyed): a user cleared below the level of that record must not view, save or export
them, as they may not see the record itself."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from secretdesk import app as app_module
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.items import NotCleared
from tests.helpers import fixed_clock, new_app

CLERK_PASS = "clerk passphrase long"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), "white").save(out, "PNG")
    return out.getvalue()


def vault_with_scans(data_dir: Path) -> tuple[int, int]:
    """(a scan of a Tối mật handover, a scan of a Mật handover)."""
    app, _ = new_app(data_dir)
    with app:
        app.users.add("canbo", Role.CLERK, CLERK_PASS, clearance=Level.MAT)
        scans = []
        for level, symbol in ((Level.TOI_MAT, "2/KH-TOM"), (Level.MAT, "1/KH-MAT")):
            item = app.items.register(
                Registration(Direction.OUTGOING, level, symbol, date(2026, 10, 1), 1)
            )
            copy = app.items.show(item.id).copies[0].id
            handover = app.handovers.create("issue", [copy], recipient_person="Lê B")
            scans.append(app.attachments.add("handover", handover.label, "slip.png", png()).id)
    return scans[0], scans[1]


def test_a_scan_of_a_record_above_clearance_is_not_viewed_nor_saved(tmp_path: Path) -> None:
    top, low = vault_with_scans(tmp_path / "v")
    with app_module.unlock(tmp_path / "v", "canbo", CLERK_PASS, fixed_clock()) as clerk:
        with pytest.raises(NotCleared):
            clerk.attachments.content(top)
        with pytest.raises(NotCleared):
            clerk.attachments.view(top, 200)
        refused = clerk.audit.events(action_prefix="attachment.view_refused")
        assert [(e.actor, e.detail["level"]) for e in refused] == [
            ("canbo", Level.TOI_MAT.value),
            ("canbo", Level.TOI_MAT.value),
        ]
        # a scan of a record the clerk may see is shown as before
        assert clerk.attachments.content(low)[1] == png()
        assert clerk.attachments.view(low, 200)[1].width > 0
        shown = [
            e.detail["attachment"]
            for e in clerk.audit.events(action_prefix="attachment.")
            if e.actor == "canbo" and e.action != "attachment.view_refused"
        ]
        assert shown == [low, low]


def test_an_export_with_scans_by_a_user_cleared_below_them_is_refused(tmp_path: Path) -> None:
    vault_with_scans(tmp_path / "v")
    out = tmp_path / "stick"
    out.mkdir()
    clerk = app_module.unlock(tmp_path / "v", "canbo", CLERK_PASS, fixed_clock())
    with clerk, pytest.raises(NotCleared):
        clerk.exports.export("annual", "2026", out, explicitly_chosen_folder=True, with_scans=True)
    assert not any(out.rglob("scan-*"))


def test_a_scan_of_a_record_above_clearance_is_not_removed(tmp_path: Path) -> None:
    """Removing hides the scan from everyone: a clerk who may not see the record may not
    take its evidence away either."""
    top, low = vault_with_scans(tmp_path / "v")
    with app_module.unlock(tmp_path / "v", "canbo", CLERK_PASS, fixed_clock()) as clerk:
        with pytest.raises(NotCleared):
            clerk.attachments.remove(top, "Quét nhầm")
        assert clerk.attachments.get(top).removed_at is None
        assert clerk.attachments.remove(low, "Quét nhầm").removed_at is not None
