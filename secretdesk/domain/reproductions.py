"""Copy requests (đề nghị sao, chụp): a reproduction asked for, approved, made (DOMAIN.md §4).

Times are ISO strings as stored: ``*_at`` in UTC to the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from secretdesk.domain.approvals import ApprovalFlow


class ReproductionForm(StrEnum):
    """Hình thức sao: the forms of copying the law names."""

    SAO_Y = "sao-y"  # sao y
    SAO_LUC = "sao-luc"  # sao lục
    TRICH_SAO = "trich-sao"  # trích sao
    CHUP = "chup"  # chụp
    PAPER_TO_ELECTRONIC = "paper-to-electronic"  # chuyển từ giấy sang điện tử


class ReproductionStatus(StrEnum):
    REQUESTED = "requested"  # awaiting approval
    APPROVED = "approved"
    REFUSED = "refused"
    RECORDED = "recorded"  # the copies were made and registered


# request -> approve (countersigned) | refuse; approved -> the copies made (recorded)
REPRODUCTION_FLOW = ApprovalFlow(
    pending=ReproductionStatus.REQUESTED,
    approved=ReproductionStatus.APPROVED,
    refused=ReproductionStatus.REFUSED,
    done=ReproductionStatus.RECORDED,
)


@dataclass(frozen=True)
class Reproduction:
    """A copy request: which copy to reproduce, in what form, how many; who approved how many
    and, once done, how many were made (only the authorised number may be made, rule 2)."""

    id: int
    item_id: int
    source_copy_id: int
    form: ReproductionForm
    requested_count: int
    purpose: str
    requested_by: str
    requested_at: str
    status: ReproductionStatus
    approved_by: str | None
    approved_at: str | None
    authorised_count: int | None
    made_count: int | None
    spoiled_count: int
    copied_by: str | None
    copied_at: str | None
    copied_place: str | None
    entry_id: int | None  # the copies register entry, once the copies are made

    def to_json(self) -> dict[str, Any]:
        """The copy request in ``--json`` output (README "JSON output"): every field above
        under its own name; ints, strs, and null where not yet known."""
        return {
            "id": self.id,
            "item_id": self.item_id,
            "source_copy_id": self.source_copy_id,
            "form": str(self.form),
            "requested_count": self.requested_count,
            "purpose": self.purpose,
            "requested_by": self.requested_by,
            "requested_at": self.requested_at,
            "status": str(self.status),
            "approved_by": self.approved_by,
            "approved_at": self.approved_at,
            "authorised_count": self.authorised_count,
            "made_count": self.made_count,
            "spoiled_count": self.spoiled_count,
            "copied_by": self.copied_by,
            "copied_at": self.copied_at,
            "copied_place": self.copied_place,
            "entry_id": self.entry_id,
        }
