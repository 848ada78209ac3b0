"""Handovers (chuyển giao, giao nhận): numbered per year, open until the receipt is back
(DOMAIN.md §4). Times are ISO strings as stored (``handed_at`` and ``receipt_at`` UTC)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Handover:
    id: int
    entry_id: int
    year: int
    number: int
    kind: str
    sender: str
    recipient_body: str
    recipient_person: str
    courier: str
    envelope_marks: str
    handed_at: str
    due_by: str | None
    status: str
    receipt_by: str | None
    receipt_at: str | None
    copy_ids: tuple[int, ...]

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"

    def to_json(self) -> dict[str, Any]:
        """The handover in ``--json`` output (README "JSON output"):

        ``number`` str ("3/2026"), ``kind`` str, ``to`` str (the receiving body, else the
        person), ``copies`` str (copy ids joined by commas), ``status`` str, ``handed_at``
        str (ISO, UTC), ``receipt_by`` str ("" until signed), ``marks`` str."""
        return {
            "number": self.label,
            "kind": str(self.kind),
            "to": self.recipient_body or self.recipient_person,
            "copies": ",".join(str(c) for c in self.copy_ids),
            "status": str(self.status),
            "handed_at": self.handed_at,
            "receipt_by": self.receipt_by or "",
            "marks": self.envelope_marks,
        }
