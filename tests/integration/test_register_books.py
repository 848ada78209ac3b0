"""Register books: live entries cannot be cancelled (and cancelled items cannot be copied);
a new volume takes the legal basis in force and is audited."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.services.copies import CopyingRefused
from secretdesk.services.errors import InvalidRequest
from secretdesk.system.clock import FixedClock
from tests.helpers import new_app


def item(app, level: Level = Level.MAT, copies: int = 2, **extra: object):  # type: ignore[no-untyped-def]
    number_symbol = str(extra.pop("number_symbol", "5/KH-STP"))
    doc_date = extra.pop("doc_date", date(2026, 10, 1))
    registration = Registration(
        Direction.OUTGOING,
        level,
        number_symbol,
        doc_date,
        copies,
        **extra,  # type: ignore[arg-type]
    )
    return app.items.register(registration)


def test_live_entries_cannot_be_cancelled_and_cancelled_items_cannot_be_copied(
    tmp_path: Path,
) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        registered = item(app)
        copy = app.items.show(registered.id).copies[0]
        handover = app.handovers.create("dispatch", [copy.id], recipient_body="UBND tỉnh")
        with pytest.raises(InvalidRequest, match="still in use"):
            app.registry.cancel("handovers", handover.year, handover.number, "nhầm")
        with pytest.raises(InvalidRequest, match="still in use"):
            app.registry.cancel("outgoing", 2026, registered.number, "nhầm")
        other = item(app, number_symbol="6/KH-STP")
        app.registry.cancel("outgoing", 2026, other.number, "Ghi trùng")
        with pytest.raises(CopyingRefused):
            app.copies.request(app.items.show(other.id).copies[0].id, 1, "sao-y")


def test_a_new_volume_takes_the_basis_in_force_and_is_audited(tmp_path: Path) -> None:
    clock = FixedClock(datetime(2026, 2, 10, 9, 0, tzinfo=UTC))
    app, _ = new_app(tmp_path / "v", clock)
    with app:
        item(app, number_symbol="1/BC", doc_date=date(2026, 2, 1))
        assert app.registry.books("outgoing", 2026)[0].legal_basis == "2020"
        clock.advance(days=60)  # April 2026: the 2025 law is in force
        volume = app.registry.lock("outgoing", 2026, open_next_volume=True)
        assert (volume.volume, volume.legal_basis) == (2, "2026")
        opened = app.audit.events(action_prefix="book.opened")
        assert [json.loads(e.detail_json)["volume"] for e in opened] == [1, 2]
