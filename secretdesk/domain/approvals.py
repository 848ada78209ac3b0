"""One approval workflow for copy requests, permits and destruction cases (DOMAIN.md §5).

A request is recorded by one person, then approved (with the approver's countersignature) or
refused by another whose authority covers its level (rule 3); the act it allows (making the
copies, closing the permit, destroying) comes last and checks the approval again, because a
level may have been raised since. Each record keeps its own status words (a copy request is
``recorded`` when done, a case ``done``, a permit ``closed``), but every status table has the
same shape: ``ApprovalStep`` events moving between ``pending``, ``approved``, ``refused`` and
``done``, so services/approval.py runs all three.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

S = TypeVar("S", bound=StrEnum)


class ApprovalStep(StrEnum):
    APPROVE = "approve"  # phê duyệt (countersigned)
    REFUSE = "refuse"  # không phê duyệt
    CARRY_OUT = "carry_out"  # the act the approval allows: copy, close the permit, destroy
    WITHDRAW = "withdraw"  # a destruction case withdrawn before the act (rút hồ sơ)


@dataclass(frozen=True)
class ApprovalFlow(Generic[S]):
    """The statuses of one kind of request and the steps between them."""

    pending: S
    approved: S
    refused: S
    done: S
    # Extra moves a kind allows beyond pending -> approved | refused and approved -> done (a
    # destruction case whose approval lapsed is approved again, or refused).
    extra: Mapping[tuple[S, ApprovalStep], S] = field(default_factory=dict)

    @property
    def transitions(self) -> dict[tuple[S, ApprovalStep], S]:
        return {
            (self.pending, ApprovalStep.APPROVE): self.approved,
            (self.pending, ApprovalStep.REFUSE): self.refused,
            (self.approved, ApprovalStep.CARRY_OUT): self.done,
            **self.extra,
        }

    def next_status(self, status: S, step: ApprovalStep) -> S | None:
        """The status after ``step``, or None when ``step`` is not allowed from ``status``."""
        return self.transitions.get((status, step))

    def open(self, status: S) -> bool:
        """Still waiting for a decision, or approved and not yet carried out."""
        return status in (self.pending, self.approved)
