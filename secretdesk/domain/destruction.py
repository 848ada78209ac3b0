"""Destruction cases (hồ sơ tiêu hủy): the copies, the council, the decision and the act
(DOMAIN.md §4). Each case is an entry of the year's destruction register."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from secretdesk.domain.approvals import ApprovalFlow, ApprovalStep


class CouncilRole(StrEnum):
    CHAIR = "chair"  # chủ tịch: a leader of the holding body
    HOLDER = "holder"  # người đang quản lý
    MEMBER = "member"  # thành viên


class DestructionStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REFUSED = "refused"
    DONE = "done"  # the copies are destroyed
    # Withdrawn (rút hồ sơ) before the act: stored as "refused" with a withdrawal record
    # (schema 11), read back as "withdrawn"; the database's status column never holds it.
    WITHDRAWN = "withdrawn"


# propose -> approve (countersigned) | refuse; approved -> done. An approved case whose
# approval lapsed (a level raised since) is approved again; one that can no longer be carried
# out is refused. An emergency destruction is recorded done at once (no approval).
DESTRUCTION_FLOW = ApprovalFlow(
    pending=DestructionStatus.PROPOSED,
    approved=DestructionStatus.APPROVED,
    refused=DestructionStatus.REFUSED,
    done=DestructionStatus.DONE,
    extra={
        (DestructionStatus.APPROVED, ApprovalStep.APPROVE): DestructionStatus.APPROVED,
        (DestructionStatus.APPROVED, ApprovalStep.REFUSE): DestructionStatus.REFUSED,
        (DestructionStatus.PROPOSED, ApprovalStep.WITHDRAW): DestructionStatus.WITHDRAWN,
        (DestructionStatus.APPROVED, ApprovalStep.WITHDRAW): DestructionStatus.WITHDRAWN,
    },
)


@dataclass(frozen=True)
class CouncilSeat:
    """A member of the destruction council (hội đồng tiêu hủy)."""

    name: str
    role: CouncilRole | str  # a CouncilRole once checked (services/destruction)
    position: str = ""  # chức vụ

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "role": str(self.role), "position": self.position}


@dataclass(frozen=True)
class Withdrawal:
    """Why and by whom a proposed or approved case was withdrawn (rút hồ sơ tiêu hủy)."""

    reason: str
    withdrawn_by: str
    countersigned_by: str
    withdrawn_at: str
    status_before: str

    def to_json(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "withdrawn_by": self.withdrawn_by,
            "countersigned_by": self.countersigned_by,
            "withdrawn_at": self.withdrawn_at,
            "status_before": self.status_before,
        }


@dataclass(frozen=True)
class DestructionCase:
    id: int
    entry_id: int
    year: int
    number: int
    grounds: str
    emergency: bool
    proposed_by: str
    proposed_at: str
    status: DestructionStatus
    approved_by: str | None
    approved_at: str | None
    decision_ref: str | None
    destroyed_at: str | None
    place: str | None
    method: str | None
    report: str | None  # the written report of an emergency destruction
    copy_ids: tuple[int, ...]
    council: tuple[CouncilSeat, ...]
    withdrawal: Withdrawal | None = None

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"

    def to_json(self) -> dict[str, Any]:
        """The case in ``--json`` output (README "JSON output"): every field above under its
        own name (``emergency`` bool, null where not yet known), ``copy_ids`` a list of ints,
        ``council`` a list of {``name``, ``role``, ``position``}, ``withdrawal`` null or
        {``reason``, ``withdrawn_by``, ``countersigned_by``, ``withdrawn_at``,
        ``status_before``}."""
        return {
            "id": self.id,
            "entry_id": self.entry_id,
            "year": self.year,
            "number": self.number,
            "grounds": self.grounds,
            "emergency": self.emergency,
            "proposed_by": self.proposed_by,
            "proposed_at": self.proposed_at,
            "status": str(self.status),
            "approved_by": self.approved_by,
            "approved_at": self.approved_at,
            "decision_ref": self.decision_ref,
            "destroyed_at": self.destroyed_at,
            "place": self.place,
            "method": self.method,
            "report": self.report,
            "copy_ids": list(self.copy_ids),
            "council": [seat.to_json() for seat in self.council],
            "withdrawal": None if self.withdrawal is None else self.withdrawal.to_json(),
        }
