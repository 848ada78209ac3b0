"""Register books (sổ) and their numbered entries (số thứ tự), DOMAIN.md §4.

Numbers restart at 1 each year and continue across volumes of the same year; a number once
issued is never reused, and a cancelled entry keeps its number (rule 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class BookKind(StrEnum):
    """The registers (sổ) the unit keeps; items go in the first three."""

    OUTGOING = "outgoing"  # sổ đăng ký văn bản đi
    INCOMING = "incoming"  # sổ đăng ký văn bản đến
    INTERNAL = "internal"  # lưu hành nội bộ
    COPIES = "copies"  # sổ quản lý sao, chụp
    HANDOVERS = "handovers"  # sổ chuyển giao
    DRAFTS = "drafts"  # dự thảo
    DESTRUCTION = "destruction"  # sổ theo dõi tiêu hủy


@dataclass(frozen=True)
class Book:
    id: int
    kind: str  # outgoing | incoming | internal | copies | handovers | drafts | destruction
    year: int
    volume: int
    legal_basis: str
    opened_on: str  # ISO day
    closed_on: str | None
    locked: bool

    def to_json(self) -> dict[str, Any]:
        """The book in ``--json`` output (README "JSON output"): every field above under its
        own name; ``closed_on`` null while open, ``locked`` bool."""
        return {
            "id": self.id,
            "kind": self.kind,
            "year": self.year,
            "volume": self.volume,
            "legal_basis": self.legal_basis,
            "opened_on": self.opened_on,
            "closed_on": self.closed_on,
            "locked": self.locked,
        }


@dataclass(frozen=True)
class Entry:
    id: int
    book_id: int
    kind: str
    year: int
    number: int
    created_at: str  # UTC
    created_by: str
    cancelled: bool
    cancel_reason: str | None
    corrects_entry_id: int | None

    def to_json(self) -> dict[str, Any]:
        """The entry in ``--json`` output (README "JSON output"): every field above under its
        own name; ``cancelled`` bool, null where there is nothing."""
        return {
            "id": self.id,
            "book_id": self.book_id,
            "kind": self.kind,
            "year": self.year,
            "number": self.number,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "cancelled": self.cancelled,
            "cancel_reason": self.cancel_reason,
            "corrects_entry_id": self.corrects_entry_id,
        }
