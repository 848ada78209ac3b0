"""Copies (bản): every physical instance of an item is a numbered copy (DOMAIN.md §4).

The originals are issued as "Bản số 1..N"; reproductions made later are "Bản sao số 1..M".
A copy has exactly one custody state and one holder at every moment (domain/custody.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from secretdesk.domain.custody import CopyState, Custody


class CopyKind(StrEnum):
    ORIGINAL = "original"  # bản số: issued with the item
    REPRODUCTION = "reproduction"  # bản sao số: made later under a copy request


@dataclass(frozen=True)
class CopyNumber:
    """The number a copy carries on paper: "Bản số 2" (an original) or "Bản sao số 1"."""

    kind: CopyKind
    number: int

    @property
    def label(self) -> str:
        prefix = "Bản sao số" if self.kind == CopyKind.REPRODUCTION else "Bản số"
        return f"{prefix} {self.number}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Copy:
    """One numbered copy of an item, where it is and who holds it."""

    id: int
    item_id: int
    kind: CopyKind
    number: int
    reproduction_id: int | None  # the copy request it was made under (reproductions only)
    state: CopyState
    holder: str

    @property
    def custody(self) -> Custody:
        return Custody(self.state, self.holder)

    @property
    def copy_number(self) -> CopyNumber:
        return CopyNumber(self.kind, self.number)

    @property
    def label(self) -> str:
        """ "Bản số 2" for an original, "Bản sao số 1" for a reproduction."""
        return self.copy_number.label

    def to_json(self) -> dict[str, Any]:
        """The copy in ``--json`` output (README "JSON output"):

        ``id`` int, ``item_id`` int, ``kind`` "original" | "reproduction", ``number`` int,
        ``reproduction_id`` int or null, ``state`` a CopyState value, ``holder`` str,
        ``label`` str ("Bản số 2")."""
        return {
            "id": self.id,
            "item_id": self.item_id,
            "kind": str(self.kind),
            "number": self.number,
            "reproduction_id": self.reproduction_id,
            "state": self.state.value,
            "holder": self.holder,
            "label": self.label,
        }
