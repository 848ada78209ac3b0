"""The set-up the destruction and custody tests share: a vault with the approver ``head``
(every level), a council of two for a destruction case, and copies of a Mật item."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from secretdesk.app import App
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.storage.destruction import CouncilSeat
from tests.helpers import new_app

HEAD_PASS = "head passphrase 2026"
COUNCIL = [
    CouncilSeat("Trần Văn Thủ Trưởng", "chair", "Giám đốc"),
    CouncilSeat("Nguyễn Thị Văn Thư", "holder", "Văn thư"),
]


def vault_with_head(tmp_path: Path) -> Iterator[App]:
    """For a fixture: the vault opened, then its log verified and the vault closed."""
    opened, _ = new_app(tmp_path / "v")
    opened.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
    yield opened
    assert opened.audit.verify().ok
    opened.close()


def copies_of(app: App, count: int = 2) -> list[int]:
    """The copies of a newly registered incoming Mật item."""
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "7/QĐ-UBND", date(2026, 10, 1), count)
    )
    return [c.id for c in app.items.show(item.id).copies]


def head(app: App):  # type: ignore[no-untyped-def]
    """The approver's countersignature."""
    return app.users.countersign("head", HEAD_PASS)
