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


def test_the_printed_decision_names_the_post_the_approver_held_when_deciding(
    tmp_path: Path,
) -> None:
    """The decision printed the approver's post of the day it was printed: moved to a post
    Art. 16 does not name for Tuyệt mật (or given one only after deciding), the same approval
    read as decided by a Minister, or by the Prime Minister."""
    import subprocess

    from tests.integration.test_foreign_provision import foreign_request
    from tests.integration.test_legal_fidelity import APPROVER_PASS, approver

    app = new_app(tmp_path / "v", fixed_clock(2026, 6, 2))[0]
    with app:
        approver(app, "nhan-chung", None)  # countersigns the posts
        prime_minister = approver(app, "tt", "thu-tuong")
        permit = foreign_request(app, Level.TUYET_MAT, "7/BC")
        app.permits.approve(permit, prime_minister)
        app.approvers.assign("tt", "bo-truong", app.users.countersign("nhan-chung", APPROVER_PASS))
        pdf = tmp_path / "permit.pdf"
        pdf.write_bytes(app.printing.permit(permit))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    flat = " ".join(text.split())
    assert "Người quyết định: Thủ tướng Chính phủ (Điều 16" in flat, flat
    assert "Bộ trưởng" not in flat
