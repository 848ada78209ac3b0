"""ItemService.entries: the register entry the audit page names an item by, read in one query
for a whole page of events; an unknown id is left out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from tests.helpers import new_app


def test_entries_name_each_item_by_its_register_number(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    try:
        first = app.items.register(
            Registration(Direction.INCOMING, Level.MAT, "1/QĐ", date(2026, 10, 1), 1)
        )
        second = app.items.register(
            Registration(Direction.INCOMING, Level.TOI_MAT, "2/QĐ", date(2026, 10, 2), 1)
        )
        found = app.items.entries([second.id, first.id, first.id, 999_999])
        assert found == {
            first.id: ("incoming", first.number, first.year),
            second.id: ("incoming", second.number, second.year),
        }
        assert second.number == first.number + 1
        assert app.items.entries([]) == {}
    finally:
        app.close()
