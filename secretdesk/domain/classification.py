"""Decisions about an item's classification: level changes (điều chỉnh độ mật), extensions
of protection (gia hạn) and declassifications (giải mật), DOMAIN.md §3.

Dates are ISO strings as stored (``decided_on``, ``notify_by``, ``new_expiry`` days;
``created_at`` UTC)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from secretdesk.domain.levels import Level


class DeclassificationKind(StrEnum):
    EXPIRY = "expiry"  # tự động giải mật khi hết thời hạn bảo vệ (automatic only)
    LIST_REMOVAL = "list_removal"  # không còn thuộc danh mục bí mật nhà nước
    COUNCIL = "council"  # theo quyết định của người đứng đầu, có hội đồng giải mật


@dataclass(frozen=True)
class LevelChange:
    """Điều chỉnh độ mật: decided by the classifier; holders notified by ``notify_by``."""

    id: int
    item_id: int
    old_level: Level
    new_level: Level
    decided_on: str
    decided_by: str
    reason: str
    notify_by: str
    created_at: str

    def to_json(self) -> dict[str, Any]:
        """``level change`` in ``--json`` output (README "JSON output"): every field above
        under its own name; the levels as Level values."""
        return {
            "id": self.id,
            "item_id": self.item_id,
            "old_level": self.old_level.value,
            "new_level": self.new_level.value,
            "decided_on": self.decided_on,
            "decided_by": self.decided_by,
            "reason": self.reason,
            "notify_by": self.notify_by,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class ExtensionDecision:
    """Gia hạn: the new expiry, and the date by which recipients must be notified."""

    id: int
    item_id: int
    decided_on: str
    years: int
    decided_by: str
    new_expiry: str
    notify_by: str
    created_at: str

    def to_json(self) -> dict[str, Any]:
        """``level extend`` in ``--json`` output (README "JSON output"): every field above
        under its own name."""
        return {
            "id": self.id,
            "item_id": self.item_id,
            "decided_on": self.decided_on,
            "years": self.years,
            "decided_by": self.decided_by,
            "new_expiry": self.new_expiry,
            "notify_by": self.notify_by,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class Declassification:
    """Giải mật: at expiry, by removal from the list, or by a council (possibly partial)."""

    id: int
    item_id: int
    kind: DeclassificationKind
    decided_on: str
    decided_by: str
    partial: bool
    scope: str
    created_at: str

    def to_json(self) -> dict[str, Any]:
        """The decision in ``level declassify --json`` (its ``record``): every field above
        under its own name."""
        return {
            "id": self.id,
            "item_id": self.item_id,
            "kind": str(self.kind),
            "decided_on": self.decided_on,
            "decided_by": self.decided_by,
            "partial": self.partial,
            "scope": self.scope,
            "created_at": self.created_at,
        }
