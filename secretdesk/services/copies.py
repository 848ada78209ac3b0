"""Reproductions (sao, chụp): request, countersigned approval, and the record of what was made.

Only the authorised number may be made; an item marked "no copying" is refused; spoiled or
surplus copies are destroyed at once and recorded (DOMAIN.md §4, rules 1-3).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from secretdesk.domain import chronology
from secretdesk.domain.approvals import ApprovalStep
from secretdesk.domain.copies import Copy
from secretdesk.domain.custody import CopyState, Custody, ensure_copyable
from secretdesk.domain.reproductions import REPRODUCTION_FLOW, ReproductionForm
from secretdesk.domain.reproductions import Reproduction as Reproduction
from secretdesk.domain.roles import Actor, Permission
from secretdesk.i18n import N_, LazyText, label, plural_text
from secretdesk.services.approval import ApprovalWorkflow
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.custody import open_entry
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.services.items import load_copy, load_item
from secretdesk.storage import items, workflow

FORMS = tuple(form.value for form in ReproductionForm)
FORM_LABELS = {
    "sao-y": N_("Sao y (true copy)"),
    "sao-luc": N_("Sao lục (certified copy)"),
    "trich-sao": N_("Trích sao (extract)"),
    "chup": N_("Chụp (photograph)"),
    "paper-to-electronic": N_("Paper to electronic"),
}
# How the status of a copy request reads in tables and messages.
STATUS_LABELS = {
    "requested": N_("awaiting approval"),
    "approved": N_("approved"),
    "refused": N_("refused"),
    "recorded": N_("copies made"),
}


def status_label(status: str) -> LazyText | str:
    return label(STATUS_LABELS, status)


class CopyingRefused(InvalidRequest):
    code = "copy.refused"


# request -> approve (countersigned; the copy authority of the level) | refuse -> make copies
APPROVAL = ApprovalWorkflow(REPRODUCTION_FLOW, post="copy_authority")


class CopyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def _load(self, repro_id: int) -> Reproduction:
        row = workflow.get_reproduction(self.ctx.read(), repro_id)
        if row is None:
            raise NotFound(what=LazyText(N_("copy request")), ref=f"#{repro_id}")
        return row

    def request(
        self, source_copy_id: int, count: int, form: str, purpose: str = ""
    ) -> Reproduction:
        if form not in FORMS:
            raise InvalidRequest(reason=LazyText(N_("Unknown form of copying: {form}."), form=form))
        if count < 1:
            raise InvalidRequest(reason=LazyText(N_("At least one copy must be requested.")))
        with self.ctx.change(Permission.RECORD) as change:
            source = load_copy(change, source_copy_id)
            item = load_item(change, source.item_id)
            if item.cancelled:
                raise CopyingRefused(
                    reason=LazyText(
                        N_("Item {item} was cancelled in the register."), item=item.number_symbol
                    )
                )
            if not item.copying_allowed:
                raise CopyingRefused(
                    reason=LazyText(
                        N_("Item {item} is marked: no copying."), item=item.number_symbol
                    )
                )
            ensure_copyable(
                source.custody, source.label, load_item(change, source.item_id).number_symbol
            )
            repro_id = workflow.insert_reproduction(
                change.conn,
                item_id=item.id,
                source_copy_id=source.id,
                form=form,
                requested_count=count,
                purpose=purpose.strip(),
                requested_by=change.actor.username,
                requested_at=change.at_utc,
            )
            change.audit(
                "copy.requested",
                "reproduction",
                repro_id,
                item=item.id,
                source=source.label,
                count=count,
                form=form,
            )
            return self._load(repro_id)

    def approve(
        self, repro_id: int, approver: Actor, authorised_count: int | None = None
    ) -> Reproduction:
        """Rule 3: the approver's level covers the item's; nobody approves their own request."""
        with self.ctx.change(Permission.RECORD) as change:
            repro = self._load(repro_id)
            item = load_item(change, repro.item_id)
            decided = APPROVAL.decision(
                change, repro.status, ApprovalStep.APPROVE, approver, self._decided(repro)
            )
            APPROVAL.check_approver(self.ctx, change, approver, item.level, repro.requested_by)
            count = repro.requested_count if authorised_count is None else authorised_count
            if not 1 <= count <= repro.requested_count:
                raise InvalidRequest(
                    reason=plural_text(
                        repro.requested_count,
                        N_("Only {count} copy may be authorised."),
                        N_("Between 1 and {count} copies may be authorised."),
                        count=repro.requested_count,
                    )
                )
            workflow.update_reproduction(change.conn, repro_id, **decided, authorised_count=count)
            change.audit(
                "copy.approved",
                "reproduction",
                repro_id,
                approver=approver.username,
                authorised=count,
                level=item.level.value,
            )
            return self._load(repro_id)

    def refuse(self, repro_id: int, approver: Actor) -> Reproduction:
        with self.ctx.change(Permission.RECORD) as change:
            repro = self._load(repro_id)
            item = load_item(change, repro.item_id)
            decided = APPROVAL.decision(
                change, repro.status, ApprovalStep.REFUSE, approver, self._decided(repro)
            )
            # a refusal needs no post: refusing to copy widens no one's access
            APPROVAL.check_approver(
                self.ctx, change, approver, item.level, repro.requested_by, post=None
            )
            workflow.update_reproduction(change.conn, repro_id, **decided)
            change.audit("copy.refused", "reproduction", repro_id, approver=approver.username)
            return self._load(repro_id)

    @staticmethod
    def _decided(repro: Reproduction) -> Callable[[], InvalidRequest]:
        """The refusal of a second decision on ``repro``."""
        return lambda: InvalidRequest(
            reason=LazyText(
                N_("Copy request #{id} is already {status}."),
                id=repro.id,
                status=status_label(repro.status),
            )
        )

    def record(
        self,
        repro_id: int,
        made: int,
        *,
        copied_by: str,
        copied_on: date,
        place: str = "",
        spoiled: int = 0,
    ) -> list[Copy]:
        """Register the copies made as "Bản sao số x"; refuse more than authorised (rule 2)."""
        repro = self._load(repro_id)
        if repro.authorised_count is not None and made > repro.authorised_count:
            # The refusal itself is kept: the annual self-inspection counts such attempts.
            with self.ctx.change(Permission.RECORD) as change:
                change.audit(
                    "copy.refused_over_authorisation",
                    "reproduction",
                    repro_id,
                    made=made,
                    authorised=repro.authorised_count,
                )
        if chronology.is_future(copied_on, self.ctx.clock.now()):
            raise InvalidRequest(
                reason=LazyText(
                    N_("The copying date ({date}) is in the future."),
                    date=chronology.shown(copied_on),
                )
            )
        with self.ctx.change(Permission.RECORD) as change:
            repro = self._load(repro_id)
            if repro.status == REPRODUCTION_FLOW.done:
                raise CopyingRefused(
                    reason=LazyText(
                        N_(
                            "Copy request #{id} is used up: every copy it authorised ({made})"
                            " has been made and recorded; ask for a new approval."
                        ),
                        id=repro_id,
                        made=repro.made_count or 0,
                    )
                )
            not_approved = CopyingRefused(
                reason=LazyText(N_("Copy request #{id} has not been approved."), id=repro_id)
            )
            recorded = APPROVAL.next_status(
                repro.status, ApprovalStep.CARRY_OUT, lambda: not_approved
            )
            if repro.authorised_count is None:
                raise not_approved
            if made < 1 or made > repro.authorised_count:
                # two numbers, each with its own plural (issue 17)
                raise CopyingRefused(
                    reason=LazyText(
                        N_("{made} made, but the approval covers only {authorised}."),
                        made=copies_text(made),
                        authorised=copies_text(repro.authorised_count),
                    )
                )
            if spoiled < 0:
                raise InvalidRequest(reason=LazyText(N_("Spoiled copies cannot be negative.")))
            if repro.approved_at and chronology.is_before(copied_on, repro.approved_at):
                raise InvalidRequest(
                    reason=LazyText(
                        N_("Copies cannot be made ({date}) before their approval ({approved})."),
                        date=chronology.shown(copied_on),
                        approved=chronology.shown(repro.approved_at),
                    )
                )
            source = load_copy(change, repro.source_copy_id)
            ensure_copyable(
                source.custody, source.label, load_item(change, source.item_id).number_symbol
            )
            self._approval_still_covers(change, repro)
            entry = open_entry(change, "copies", self.ctx.today())
            workflow.update_reproduction(
                change.conn,
                repro_id,
                status=recorded.value,
                made_count=made,
                spoiled_count=spoiled,
                copied_by=copied_by.strip(),
                copied_at=copied_on.isoformat(),
                copied_place=place.strip(),
                entry_id=entry.id,
            )
            created = []
            for _ in range(made):
                number = items.next_copy_number(change.conn, repro.item_id, "reproduction")
                copy_id = items.insert_copy(
                    change.conn,
                    item_id=repro.item_id,
                    kind="reproduction",
                    number=number,
                    reproduction_id=repro_id,
                    custody=Custody(CopyState.IN_STORAGE, source.holder),
                    created_at=change.at_utc,
                    actor=change.actor.username,
                    reference=f"copies {entry.number}/{entry.year}",
                )
                created.append(load_copy(change, copy_id))
            change.audit(
                "copy.recorded",
                "reproduction",
                repro_id,
                register=f"copies {entry.number}/{entry.year}",
                made=made,
                spoiled=spoiled,
                spoiled_destroyed=spoiled > 0,
                copies=[c.label for c in created],
                copied_by=copied_by,
            )
            return created

    def _approval_still_covers(self, change: Change, repro: Reproduction) -> None:
        """Rule 3 at the moment of copying: the item's level may have been raised since."""
        item = load_item(change, repro.item_id)
        if not APPROVAL.still_covers(change, repro.approved_by, item.level):
            raise CopyingRefused(
                reason=LazyText(
                    N_(
                        "The approval of copy request #{id} by {user} no longer covers the "
                        "item's level ({level}); ask for a new approval."
                    ),
                    id=repro.id,
                    user=repro.approved_by,
                    level=item.level.label_vi,
                )
            )

    def pending(self) -> list[Reproduction]:
        return workflow.reproductions(self.ctx.read(), status=REPRODUCTION_FLOW.pending)

    def list(self, status: str | None = None) -> list[Reproduction]:
        """Every copy request (optionally of one status), oldest first."""
        return workflow.reproductions(self.ctx.read(), status=status)


def copies_text(count: int) -> LazyText:
    """ "1 copy", "2 copies": a count of copies inside a longer message."""
    return plural_text(count, N_("{count} copy"), N_("{count} copies"), count=count)
