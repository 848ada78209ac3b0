"""Take-out permits (mang ra khỏi nơi lưu giữ) and provisions to another body (cung cấp,
chuyển giao): one written request, the approver's decision, the copies it covers (DOMAIN.md §4)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from secretdesk.domain.approvals import ApprovalFlow


class PermitKind(StrEnum):
    TAKE_OUT = "take-out"  # mang ra khỏi nơi lưu giữ
    PROVISION = "provision"  # cung cấp, chuyển giao cho cơ quan, tổ chức khác


class PermitStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    CLOSED = "closed"  # closed by the report on use


# request -> approve (countersigned) | refuse; approved -> closed with the report on use
PERMIT_FLOW = ApprovalFlow(
    pending=PermitStatus.REQUESTED,
    approved=PermitStatus.APPROVED,
    refused=PermitStatus.REFUSED,
    done=PermitStatus.CLOSED,
)


@dataclass(frozen=True)
class Permit:
    id: int
    kind: PermitKind
    requester: str  # the person taking the copies out, or the requesting body's representative
    requesting_body: str
    purpose: str
    place: str
    starts_at: str | None
    ends_at: str | None
    protection: str
    commitment: str
    recorded_by: str
    recorded_at: str
    status: PermitStatus
    approved_by: str | None  # the approver who decided, approval or refusal
    approved_at: str | None
    closed_at: str | None
    closing_report: str | None
    copy_ids: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        """The permit in ``--json`` output (README "JSON output"): every field above under its
        own name (null where not yet known), ``copy_ids`` a list of ints."""
        return {
            "id": self.id,
            "kind": str(self.kind),
            "requester": self.requester,
            "requesting_body": self.requesting_body,
            "purpose": self.purpose,
            "place": self.place,
            "starts_at": self.starts_at,
            "ends_at": self.ends_at,
            "protection": self.protection,
            "commitment": self.commitment,
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at,
            "status": str(self.status),
            "approved_by": self.approved_by,
            "approved_at": self.approved_at,
            "closed_at": self.closed_at,
            "closing_report": self.closing_report,
            "copy_ids": list(self.copy_ids),
        }
