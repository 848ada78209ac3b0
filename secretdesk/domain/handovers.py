"""Handovers (chuyển giao, giao nhận): numbered per year, open until the receipt is back
(DOMAIN.md §4). Times are ISO strings as stored (``handed_at`` and ``receipt_at`` UTC)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from secretdesk.domain.custody import CustodyAction


class HandoverKind(StrEnum):
    """The kind of a handover: one spelling in the database, the CLI, the forms and the slip
    (resources/forms/slip-*.json ``choices.handover_kinds``)."""

    DISPATCH = "dispatch"  # gửi cơ quan, tổ chức khác
    ISSUE = "issue"  # giao cho cá nhân trong đơn vị
    RETURN = "return"  # cá nhân trả lại
    RECEIVE = "receive"  # nhận từ cơ quan, tổ chức khác
    RECALL_RETURN = "recall-return"  # trả lại tài liệu thu hồi cho nơi phát hành

    @property
    def custody_action(self) -> CustodyAction | None:
        """What the handover does to each copy it carries (None: a receipt registers new
        copies, it moves none)."""
        return _CUSTODY_ACTIONS.get(self)

    @property
    def closed_at_once(self) -> bool:
        """A return or a receipt needs no receipt slip back: it is closed when recorded."""
        return self in (HandoverKind.RETURN, HandoverKind.RECEIVE)

    @property
    def leaves_storage(self) -> bool:
        """The copies leave this unit's storage (to a person or another body)."""
        return self in (HandoverKind.DISPATCH, HandoverKind.ISSUE, HandoverKind.RECALL_RETURN)

    @property
    def needs_body(self) -> bool:
        return self in (HandoverKind.DISPATCH, HandoverKind.RECALL_RETURN)

    @property
    def needs_person(self) -> bool:
        return self is HandoverKind.ISSUE


_CUSTODY_ACTIONS = {
    HandoverKind.DISPATCH: CustodyAction.DISPATCH,
    HandoverKind.ISSUE: CustodyAction.ISSUE,
    HandoverKind.RETURN: CustodyAction.RETURN,
    HandoverKind.RECALL_RETURN: CustodyAction.RETURN_TO_ISSUER,
}


class HandoverStatus(StrEnum):
    OPEN = "open"  # awaiting the signed receipt (or, for a recall item, its return)
    CLOSED = "closed"


class HandoverStep(StrEnum):
    RECEIPT = "receipt"  # the signed receipt came back
    RECALL_BACK = "recall_back"  # a recall item sent out came back


HANDOVER_TRANSITIONS: dict[tuple[HandoverStatus, HandoverStep], HandoverStatus] = {
    (HandoverStatus.OPEN, HandoverStep.RECEIPT): HandoverStatus.CLOSED,
    (HandoverStatus.OPEN, HandoverStep.RECALL_BACK): HandoverStatus.CLOSED,
}


@dataclass(frozen=True)
class Handover:
    id: int
    entry_id: int
    year: int
    number: int
    kind: HandoverKind
    sender: str
    recipient_body: str
    recipient_person: str
    courier: str
    envelope_marks: str
    handed_at: str
    due_by: str | None
    status: HandoverStatus
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
