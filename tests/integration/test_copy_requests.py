"""Copy requests (sao, chụp): the approval must still cover the item's level when the copies
are made, and an approval authorises at least one copy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.copies import CopyingRefused
from secretdesk.services.errors import InvalidRequest
from tests.helpers import new_app
from tests.integration.test_register_books import item

APPROVER = "approver passphrase"


def test_an_approval_no_longer_covering_a_raised_level_cannot_be_used(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        app.users.add("truongphong", Role.APPROVER, APPROVER, max_level=Level.MAT)
        registered = item(app)
        source = app.items.show(registered.id).copies[0]
        request = app.copies.request(source.id, 2, "sao-y")
        app.copies.approve(request.id, app.users.countersign("truongphong", APPROVER))
        app.classification.change_level(
            registered.id, Level.TOI_MAT, decided_on=date(2026, 10, 5), decided_by="Giám đốc"
        )
        with pytest.raises(CopyingRefused, match="no longer covers"):
            app.copies.record(request.id, 2, copied_by="Lê Thị C", copied_on=date(2026, 11, 2))
        assert [c.kind for c in app.items.show(registered.id).copies] == ["original"] * 2


def test_authorising_zero_copies_is_refused(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        app.users.add("giamdoc", Role.APPROVER, APPROVER, max_level=Level.TUYET_MAT)
        request = app.copies.request(app.items.show(item(app).id).copies[0].id, 10, "chup")
        with pytest.raises(InvalidRequest):
            app.copies.approve(request.id, app.users.countersign("giamdoc", APPROVER), 0)
