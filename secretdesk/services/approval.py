"""The one approval workflow that copy requests, permits and destruction cases run through.

Request (recorded by one person) -> approve, countersigned by an approver whose authority
covers the level and who did not make the request (rule 3, DOMAIN.md §5), or refuse -> the
act the approval allows (make the copies, close the permit, destroy), where the approval is
checked again because the level may have been raised, or the approver's authority lowered,
since. The statuses and the steps between them are domain/approvals.py ``ApprovalFlow``; the
services keep their own messages and audit events (both are part of what users see) and call
this module for the checks and the decision, inside their one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Generic, TypeVar

from secretdesk.domain.approvals import ApprovalFlow, ApprovalStep
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, ApprovalRefused
from secretdesk.i18n import N_, LazyText
from secretdesk.services.approvers import require_foreign_post, require_post
from secretdesk.services.context import Change, ServiceContext
from secretdesk.storage import users

S = TypeVar("S", bound=StrEnum)

# The ``post`` of a provision to a foreign body or person: the posts Art. 16 names.
FOREIGN_POSTS = "foreign_provision"


class ApprovalWorkflow(Generic[S]):
    """The steps of one kind of request (``flow``) and the approver-post list its decision
    checks once the unit has given posts (``post``, see services/approvers.py)."""

    def __init__(self, flow: ApprovalFlow[S], post: str | None = None) -> None:
        self.flow = flow
        self.post = post

    def next_status(self, status: S, step: ApprovalStep, refusal: Callable[[], Exception]) -> S:
        """The status after ``step``; ``refusal()`` is raised when the step is not allowed
        from ``status`` (already decided, not approved yet, already carried out)."""
        target = self.flow.next_status(status, step)
        if target is None:
            raise refusal()
        return target

    def check_approver(
        self,
        ctx: ServiceContext,
        change: Change,
        approver: Actor,
        level: Level,
        requested_by: str,
        *,
        post: str | None = None,
        post_level: Level | None = None,
        floor: Level | None = None,
        below_floor: Callable[[], Exception] | None = None,
    ) -> None:
        """Rule 3 at the decision: the countersigning approver's authority covers ``level``
        and they are not who made the request; it reaches ``floor`` whatever the level
        (destruction: Tối mật), else ``below_floor()`` is raised; then, once the unit has
        given posts, their post is on the list ``post`` (default: this workflow's;
        ``FOREIGN_POSTS``: those Art. 16 names) for ``post_level`` (default: ``level``)."""
        approver.require_approval_of(level, requested_by)
        if floor is not None and not approver.covers(floor):
            raise (
                below_floor()
                if below_floor is not None
                else ApprovalRefused(
                    user=approver.username,
                    reason=LazyText(
                        N_("their authority does not cover {level}"), level=floor.label_vi
                    ),
                )
            )
        rule = post or self.post
        if rule == FOREIGN_POSTS:
            require_foreign_post(ctx, change, approver, post_level or level)
        elif rule is not None:
            require_post(ctx, change, approver, post_level or level, rule)

    def decision(
        self,
        change: Change,
        status: S,
        step: ApprovalStep,
        approver: Actor,
        refusal: Callable[[], Exception],
    ) -> dict[str, str]:
        """The columns a decision writes: the new status, who decided and when."""
        target = self.next_status(status, step, refusal)
        return {
            "status": target.value,
            "approved_by": approver.username,
            "approved_at": change.at_utc,
        }

    @staticmethod
    def still_covers(change: Change, approved_by: str | None, level: Level) -> bool:
        """Rule 3 at the act: the approver who decided still exists and their authority
        still covers ``level`` (it may have been raised since the decision)."""
        approver = users.by_username(change.conn, approved_by or "")
        return approver is not None and approver.covers(level)
