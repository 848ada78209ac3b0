"""Level changes, extensions and declassifications of items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from secretdesk.domain.classification import (
    Declassification,
    DeclassificationKind,
    ExtensionDecision,
    LevelChange,
)
from secretdesk.domain.levels import Level
from secretdesk.domain.protection import Extension
from secretdesk.storage.sqlite import Connection

# The old row names, for code written before the domain types (remove once unused).
LevelChangeRow = LevelChange
ExtensionRow = ExtensionDecision
DeclassificationRow = Declassification


def extensions_of(conn: Connection, item_id: int) -> list[Extension]:
    rows = conn.execute(
        "SELECT decided_on, years FROM extension WHERE item_id = ? ORDER BY decided_on, id",
        (item_id,),
    )
    return [Extension(date.fromisoformat(str(r[0])), int(r[1])) for r in rows]


# -- level changes, extensions, declassifications ----------------------------------------


@dataclass(frozen=True)
class ProtectedItem:
    """An item still under protection, with what its expiry is computed from (rule 7)."""

    item_id: int
    book_kind: str
    year: int
    number: int
    number_symbol: str
    level: Level
    classified_on: str
    shorter_until: str | None
    extensions: tuple[Extension, ...]

    @property
    def register_number(self) -> str:
        return f"{self.number}/{self.year}"


def _insert(conn: Connection, table: str, values: dict[str, Any]) -> int:
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    cursor = conn.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(values.values())
    )
    return int(cursor.lastrowid)


def insert_level_change(conn: Connection, **values: Any) -> int:
    return _insert(conn, "level_change", values)


def insert_extension(conn: Connection, **values: Any) -> int:
    return _insert(conn, "extension", values)


def insert_declassification(conn: Connection, **values: Any) -> int:
    return _insert(conn, "declassification", values)


_LEVEL_CHANGE = (
    "id, item_id, old_level, new_level, decided_on, decided_by, reason, notify_by, created_at"
)
_EXTENSION = "id, item_id, decided_on, years, decided_by, new_expiry, notify_by, created_at"
_DECLASSIFICATION = "id, item_id, kind, decided_on, decided_by, partial, scope, created_at"


def _level_change(row: Any) -> LevelChange:
    values = list(row)
    values[2], values[3] = Level(values[2]), Level(values[3])
    return LevelChange(*values)


def _declassification(row: Any) -> Declassification:
    values = list(row)
    values[2] = DeclassificationKind(values[2])
    values[5] = bool(values[5])
    return Declassification(*values)


def get_level_change(conn: Connection, change_id: int) -> LevelChange | None:
    row = conn.execute(
        f"SELECT {_LEVEL_CHANGE} FROM level_change WHERE id = ?", (change_id,)
    ).fetchone()
    return None if row is None else _level_change(row)


def level_changes_of(conn: Connection, item_id: int) -> list[LevelChange]:
    rows = conn.execute(
        f"SELECT {_LEVEL_CHANGE} FROM level_change WHERE item_id = ? ORDER BY id", (item_id,)
    )
    return [_level_change(r) for r in rows]


def get_extension(conn: Connection, extension_id: int) -> ExtensionDecision | None:
    row = conn.execute(
        f"SELECT {_EXTENSION} FROM extension WHERE id = ?", (extension_id,)
    ).fetchone()
    return None if row is None else ExtensionDecision(*row)


def extension_rows_of(conn: Connection, item_id: int) -> list[ExtensionDecision]:
    rows = conn.execute(
        f"SELECT {_EXTENSION} FROM extension WHERE item_id = ? ORDER BY decided_on, id",
        (item_id,),
    )
    return [ExtensionDecision(*r) for r in rows]


def get_declassification(conn: Connection, declass_id: int) -> Declassification | None:
    row = conn.execute(
        f"SELECT {_DECLASSIFICATION} FROM declassification WHERE id = ?", (declass_id,)
    ).fetchone()
    return None if row is None else _declassification(row)


def declassifications_of(conn: Connection, item_id: int) -> list[Declassification]:
    rows = conn.execute(
        f"SELECT {_DECLASSIFICATION} FROM declassification WHERE item_id = ? ORDER BY id",
        (item_id,),
    )
    return [_declassification(r) for r in rows]


def fully_declassified(conn: Connection, item_id: int) -> bool:
    row = conn.execute(
        "SELECT 1 FROM declassification WHERE item_id = ? AND partial = 0 LIMIT 1", (item_id,)
    ).fetchone()
    return row is not None


_PERIOD_YEARS = " ".join(
    f"WHEN '{level.value}' THEN {level.default_period_years}" for level in Level
)
_BASE_EXPIRY_BY = (
    " AND ((item.shorter_until IS NOT NULL AND item.shorter_until <= :by)"
    f" OR item.classified_on <= date(:by, '+1 day', '-' || (CASE item.level {_PERIOD_YEARS}"
    " END) || ' years'))"
)


def protected_items(conn: Connection, base_expiry_by: str | None = None) -> list[ProtectedItem]:
    """Items not cancelled and not wholly declassified, each with its extensions (two queries).

    With ``base_expiry_by`` (an ISO date) only the items whose expiry before extensions can
    fall on or before it: the shorter date written on the item, or the level's period (with a
    day to spare for 29 February). Extensions only lengthen protection, so no item expiring by
    then is left out, and a register of a million items is not read to find the few that are.
    """
    extensions: dict[int, list[Extension]] = {}
    for row in conn.execute(
        "SELECT item_id, decided_on, years FROM extension ORDER BY item_id, decided_on, id"
    ):
        extensions.setdefault(int(row[0]), []).append(
            Extension(date.fromisoformat(str(row[1])), int(row[2]))
        )
    rows = conn.execute(
        "SELECT item.id, entry.kind, entry.year, entry.number, item.number_symbol, item.level,"
        " item.classified_on, item.shorter_until"
        " FROM item JOIN entry ON entry.id = item.entry_id"
        " WHERE entry.cancelled = 0 AND NOT EXISTS (SELECT 1 FROM declassification"
        " WHERE declassification.item_id = item.id AND declassification.partial = 0)"
        f"{_BASE_EXPIRY_BY if base_expiry_by else ''} ORDER BY item.id",
        {"by": base_expiry_by} if base_expiry_by else {},
    )
    return [
        ProtectedItem(
            int(r[0]),
            str(r[1]),
            int(r[2]),
            int(r[3]),
            str(r[4]),
            Level(r[5]),
            str(r[6]),
            r[7],
            tuple(extensions.get(int(r[0]), ())),
        )
        for r in rows
    ]


def summary_consent(conn: Connection, item_id: int) -> bool:
    """Whether the classifier consented to recording the summary (2020 rules, rule 9)."""
    row = conn.execute("SELECT summary_consent FROM item WHERE id = ?", (item_id,)).fetchone()
    return bool(row and row[0])
