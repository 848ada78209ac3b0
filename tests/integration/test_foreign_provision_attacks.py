"""Attacks on the provision of state secrets to a foreign body or person (Art. 16): a clerk
whose clearance is below the level of the items must not get the printed decision, which
names the items and gives their summary (trích yếu)."""

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
HEAD_PASS = "head passphrase long"
SUMMARY = "Kế hoạch phối hợp tối mật số 9"


def approved_foreign_provision(vault: Path) -> int:
    app, _ = new_app(vault)
    with app:
        app.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
        app.users.add("canbo", Role.CLERK, CLERK_PASS, clearance=Level.MAT)
        item = app.items.register(
            Registration(
                Direction.INCOMING,
                Level.TOI_MAT,
                "9/KH-TOM",
                date(2026, 10, 1),
                1,
                summary=SUMMARY,
                summary_consent=True,
                summary_consent_by="Giám đốc",
            )
        )
        copy = app.items.show(item.id).copies[0].id
        permit = app.permits.request(
            "provision",
            [copy],
            requester="John Smith",
            purpose="Hợp tác quốc tế",
            requesting_body="Cơ quan Ôx-trây-li-a",
            commitment="Bảo vệ theo pháp luật Việt Nam",
            foreign=True,
            requester_position="Trưởng đoàn",
            nationality="Ôx-trây-li-a",
            passport="PA1234567",
        )
        app.permits.approve(permit.id, app.users.countersign("head", HEAD_PASS))
        assert app.printing.permit(permit.id).startswith(b"%PDF")
        return permit.id


def test_the_printed_foreign_provision_is_refused_above_the_readers_clearance(
    tmp_path: Path,
) -> None:
    permit_id = approved_foreign_provision(tmp_path / "v")
    with app_module.unlock(tmp_path / "v", "canbo", CLERK_PASS, fixed_clock()) as clerk:
        with pytest.raises(NotCleared):
            clerk.printing.permit(permit_id)
        (refused,) = clerk.audit.events(action_prefix="print.refused_clearance")
        assert refused.detail["level"] == Level.TOI_MAT.value
        printed = clerk.audit.events(action_prefix="print.permit")
        assert [e.actor for e in printed] == ["admin"]
