"""The destruction minutes name each destroyed item (number, symbol, level): printed by a
clerk cleared below those levels, as slips and labels are, they are refused (audited)."""

from __future__ import annotations

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


def test_minutes_of_a_tuyet_mat_destruction_are_refused_below_clearance(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        app.users.add("canbo", Role.CLERK, CLERK_PASS, clearance=Level.MAT)
        item = app.items.register(
            Registration(Direction.INCOMING, Level.TUYET_MAT, "3/KH-TUYETMAT", date(2026, 10, 1), 1)
        )
        copy = app.items.show(item.id).copies[0].id
        case = app.destruction.emergency([copy], "Cháy kho, hủy ngay", place="Kho")
        assert app.printing.minutes(case.id).startswith(b"%PDF")
    with app_module.unlock(tmp_path / "v", "canbo", CLERK_PASS, fixed_clock()) as clerk:
        with pytest.raises(NotCleared):
            clerk.printing.minutes(case.id)
        (refused,) = clerk.audit.events(action_prefix="print.refused_clearance")
        assert refused.actor == "canbo" and refused.detail["level"] == Level.TUYET_MAT.value
