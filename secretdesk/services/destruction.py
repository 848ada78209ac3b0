"""Destruction (tiêu hủy): proposal, council, decision, the act, and its minutes.

A proposal lists copies and grounds and takes the next number of the year's destruction
register; the council has a chair (a leader of the holding body) and at least one other
member (the holder, representatives). A countersigned approver who may authorise copying of
Tuyệt mật or Tối mật decides (DOMAIN.md §5); the act records when, where and how (a method
that makes recovery impossible), and the minutes (biên bản tiêu hủy) are printed from it.
Rule 1 is checked when proposing, approving and destroying, and so is the decision: the
approver must still cover the level of the copies when they are destroyed (a level raised
since calls for a new approval). In an emergency the holder destroys at once and reports in
writing immediately; that case is flagged for the head. It is the one accepted exception to
rule 1 (see ``DestructionService.emergency``).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from secretdesk.domain import chronology
from secretdesk.domain.approvals import ApprovalStep
from secretdesk.domain.copies import Copy
from secretdesk.domain.custody import CopyState, CustodyAction, apply
from secretdesk.domain.destruction import (
    DESTRUCTION_FLOW,
    CouncilRole,
    DestructionCase,
    DestructionStatus,
    Withdrawal,
)
from secretdesk.domain.destruction import CouncilSeat as CouncilSeat  # re-exported for front ends
from secretdesk.domain.errors import CustodyRefused
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, ApprovalRefused, Permission
from secretdesk.domain.text import fold
from secretdesk.i18n import N_, LazyText, label
from secretdesk.services.approval import ApprovalWorkflow
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.custody import move_copy, open_entry, settle_issues
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.services.items import NotCleared, load_copy, load_item
from secretdesk.services.permits import local_time
from secretdesk.services.registry import basis_on
from secretdesk.storage import destruction, legal, workflow

if TYPE_CHECKING:
    from secretdesk.services.users import UserService

ROLES = tuple(role.value for role in CouncilRole)
STATUSES = tuple(status.value for status in DestructionStatus)
# How each council role and case status reads in tables and messages.
ROLE_LABELS = {
    "chair": N_("chair"),
    "holder": N_("holder"),
    "member": N_("member"),
}
STATUS_LABELS = {
    "proposed": N_("proposed"),
    "approved": N_("approved"),
    "refused": N_("refused"),
    "done": N_("destroyed"),
    "withdrawn": N_("withdrawn"),
}
# Destruction is decided by those who may authorise copying of Tuyệt mật and Tối mật (§5).
LOWEST_DECIDING_LEVEL = Level.TOI_MAT
# propose -> approve (countersigned; the destruction post list) | refuse -> destroy
APPROVAL = ApprovalWorkflow(DESTRUCTION_FLOW, post="destruction")


@dataclass(frozen=True)
class MinutesCopy:
    """One destroyed copy as the minutes list it."""

    copy_id: int
    copy_label: str  # "Bản số 2", "Bản sao số 1"
    item_id: int
    register_number: str  # the item's entry, "12/2026"
    number_symbol: str
    doc_date: str
    level: Level
    pages: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "copy_id": self.copy_id,
            "copy_label": self.copy_label,
            "item_id": self.item_id,
            "register_number": self.register_number,
            "number_symbol": self.number_symbol,
            "doc_date": self.doc_date,
            "level": self.level.value,
            "pages": self.pages,
        }


@dataclass(frozen=True)
class DestructionMinutes:
    """Everything the destruction minutes (biên bản tiêu hủy) print."""

    case_id: int
    case_number: int
    year: int
    grounds: str
    emergency: bool
    decision_ref: str
    approved_by: str
    destroyed_at: datetime
    place: str
    method: str
    council: tuple[CouncilSeat, ...]
    copies: tuple[MinutesCopy, ...]
    report: str = ""  # the written report of an emergency destruction
    council_decision: str = ""  # the decision establishing the council (Art. 23.4)
    holder: str = ""  # who recorded it: in an emergency, the holder who destroyed

    def to_json(self) -> dict[str, Any]:
        """``destroy minutes --json`` (README "JSON output"): every field above under its own
        name; ``destroyed_at`` local time as ``YYYY-MM-DD HH:MM:SS``, ``council`` and
        ``copies`` lists of objects."""
        return {
            "case_id": self.case_id,
            "case_number": self.case_number,
            "year": self.year,
            "grounds": self.grounds,
            "emergency": self.emergency,
            "decision_ref": self.decision_ref,
            "approved_by": self.approved_by,
            "destroyed_at": str(self.destroyed_at),
            "place": self.place,
            "method": self.method,
            "council": [seat.to_json() for seat in self.council],
            "copies": [copy.to_json() for copy in self.copies],
            "report": self.report,
            "council_decision": self.council_decision,
            "holder": self.holder,
        }

    @property
    def register_number(self) -> str:
        return f"{self.case_number}/{self.year}"


def status_label(status: str) -> LazyText | str:
    return label(STATUS_LABELS, status)


def role_label(role: str) -> LazyText | str:
    return label(ROLE_LABELS, role)


def _no_decision(case: DestructionCase) -> Callable[[], InvalidRequest]:
    """The refusal of a step the case's status does not allow."""
    return lambda: InvalidRequest(
        reason=LazyText(
            N_("Destruction case {case} is {status}."),
            case=case.label,
            status=status_label(case.status),
        )
    )


class DestructionService:
    def __init__(self, ctx: ServiceContext, users: UserService | None = None) -> None:
        """``users`` (who countersigns a withdrawal) comes from the composition root; a
        service built on its own gets one on first use."""
        self.ctx = ctx
        self._users = users

    @property
    def users(self) -> UserService:
        if self._users is None:
            from secretdesk.services.users import UserService

            self._users = UserService(self.ctx)
        return self._users

    def propose(
        self,
        copy_ids: list[int],
        grounds: str,
        council: list[CouncilSeat],
        council_decision: str = "",
    ) -> DestructionCase:
        """A numbered proposal with its council; each copy must be destroyable (rule 1).

        ``council_decision`` is the decision establishing the council, the first paper of
        the destruction dossier (Law 2018 Art. 23.4); the minutes cite it."""
        council_decision = council_decision.strip()
        grounds = grounds.strip()
        seats = _check_council(council)
        _check_copy_list(copy_ids)
        if not grounds:
            raise InvalidRequest(reason=LazyText(N_("State the grounds for destruction.")))
        with self.ctx.change(Permission.RECORD) as change:
            for copy_id in copy_ids:
                copy = load_copy(change, copy_id)
                _check_destroyable(change, copy)
                others = destruction.open_cases_of_copy(change.conn, copy.id)
                if others:
                    case = destruction.get_case(change.conn, others[0])
                    raise InvalidRequest(
                        reason=LazyText(
                            N_("{copy} of {item} is already proposed in destruction case {case}."),
                            copy=copy.label,
                            item=load_item(change, copy.item_id).number_symbol,
                            case=case.label if case else others[0],
                        )
                    )
            entry = open_entry(change, "destruction", self.ctx.today())
            case_id = destruction.insert_case(
                change.conn,
                copy_ids,
                seats,
                entry_id=entry.id,
                grounds=grounds,
                proposed_by=change.actor.username,
                proposed_at=change.at_utc,
            )
            if council_decision:
                legal.set_council_decision(change.conn, case_id, council_decision)
            change.audit(
                "destruction.proposed",
                "destruction_case",
                case_id,
                register=f"destruction {entry.number}/{entry.year}",
                copies=copy_ids,
                grounds=grounds,
                council=[{"name": s.name, "role": s.role, "position": s.position} for s in seats],
                after={"status": "proposed"},
            )
            return self._get(change, case_id)

    def approve(self, case_id: int, approver: Actor, decision_ref: str) -> DestructionCase:
        """Rule 3 and §5: a countersigned approver whose authority covers the highest level
        and reaches at least Tối mật; never the clerk who proposed it.

        An approved case whose approver no longer covers the level of its copies (the level
        was raised since) is approved again here, with a new decision.
        """
        decision_ref = decision_ref.strip()
        if not decision_ref:
            raise InvalidRequest(
                reason=LazyText(N_("Give the reference of the destruction decision."))
            )
        with self.ctx.change(Permission.RECORD) as change:
            case = self._load(change, case_id)
            if case.status == APPROVAL.flow.approved and self._lapsed_approval(change, case):
                before = _decision(case)
            else:
                case = self._in_status(change, case_id, APPROVAL.flow.pending)
                before = {"status": "proposed"}
            _check_not_destroyed_meanwhile(change, case)
            # Rule 1 again: a copy handed over or issued since the proposal is not decided on.
            for copy_id in case.copy_ids:
                _check_destroyable(change, load_copy(change, copy_id))
            level = self._check_approver(change, case, approver)
            decided = APPROVAL.decision(
                change, case.status, ApprovalStep.APPROVE, approver, _no_decision(case)
            )
            destruction.update_case(change.conn, case.id, **decided, decision_ref=decision_ref)
            change.audit(
                "destruction.approved",
                "destruction_case",
                case.id,
                number=case.label,
                approver=approver.username,
                level=level.value,
                decision_ref=decision_ref,
                before=before,
                after={"status": "approved"},
            )
            return self._get(change, case.id)

    def refuse(self, case_id: int, approver: Actor) -> DestructionCase:
        """Refuse a proposal, or an approved case that can no longer be carried out: one of
        its copies was destroyed in an emergency or cannot be destroyed now (rule 1), or its
        approver no longer covers the level of its copies."""
        with self.ctx.change(Permission.RECORD) as change:
            case = self._load(change, case_id)
            if case.status == APPROVAL.flow.approved and self._cannot_be_carried_out(change, case):
                before = _decision(case)
            else:
                case = self._in_status(change, case_id, APPROVAL.flow.pending)
                before = {"status": "proposed"}
            self._check_approver(change, case, approver)
            decided = APPROVAL.decision(
                change, case.status, ApprovalStep.REFUSE, approver, _no_decision(case)
            )
            destruction.update_case(change.conn, case.id, **decided)
            change.audit(
                "destruction.refused",
                "destruction_case",
                case.id,
                number=case.label,
                approver=approver.username,
                before=before,
                after={"status": "refused"},
            )
            return self._get(change, case.id)

    def withdraw(self, case_id: int, reason: str, approver: Actor | None) -> DestructionCase:
        """Withdraw a proposed or approved case (rút hồ sơ): it ends without a destruction
        and its copies are free again. Two-person control: the reason, and the countersignature
        of an approver or administrator other than the actor (services/users.py)."""
        reason = reason.strip()
        with self.ctx.change(Permission.RECORD) as change:
            case = self._load(change, case_id)
            if case.emergency or case.status not in destruction.OPEN_STATUSES:
                raise InvalidRequest(
                    reason=LazyText(
                        N_(
                            "Destruction case {case} is {status}: only a proposed or approved"
                            " case can be withdrawn."
                        ),
                        case=case.label,
                        status=status_label(case.status),
                    )
                )
            if not reason:
                raise InvalidRequest(
                    reason=LazyText(
                        N_("Say why destruction case {case} is withdrawn."), case=case.label
                    )
                )
            second = self.users._second_person(approver, always=True)
            destruction.withdraw_case(
                change.conn,
                case.id,
                Withdrawal(
                    reason,
                    change.actor.username,
                    str(second["countersigned_by"]),
                    change.at_utc,
                    case.status,
                ),
            )
            change.audit(
                "destruction.withdrawn",
                "destruction_case",
                case.id,
                number=case.label,
                reason=reason,
                copies=list(case.copy_ids),
                **second,
                before=_decision(case),
                after={"status": "withdrawn"},
            )
            return self._get(change, case.id)

    def record(self, case_id: int, *, at: datetime, place: str, method: str) -> DestructionCase:
        """The act itself: the copies are destroyed; rule 1 is checked again now, and so is
        rule 3: the approver must still cover the highest level of the copies today."""
        place, method, at = place.strip(), method.strip(), local_time(at)
        if not place:
            raise InvalidRequest(reason=LazyText(N_("Say where the copies were destroyed.")))
        if not method:
            raise InvalidRequest(
                reason=LazyText(N_("Describe the method, one that makes recovery impossible."))
            )
        self._not_future(at)
        with self.ctx.change(Permission.RECORD) as change:
            case = self._in_status(change, case_id, APPROVAL.flow.approved)
            _check_not_destroyed_meanwhile(change, case)
            lapsed = self._lapsed_approval(change, case)
            if lapsed is not None:
                raise InvalidRequest(
                    reason=LazyText(
                        N_(
                            "Destruction case {case} was approved by {user}, whose authority"
                            " does not cover {level}: an approver who covers it must approve"
                            " the case again."
                        ),
                        case=case.label,
                        user=case.approved_by or "?",
                        level=lapsed.label_vi,
                    )
                )
            decided = case.approved_at or case.proposed_at
            if chronology.is_before(at, decided):
                raise InvalidRequest(
                    reason=LazyText(
                        N_("The copies cannot be destroyed before the decision ({date})."),
                        date=chronology.shown(decided),
                    )
                )
            moved = []
            for copy_id in case.copy_ids:
                copy = load_copy(change, copy_id)
                moved.append(
                    move_copy(
                        change,
                        copy,
                        CustodyAction.DESTROY,
                        copy.holder,
                        reference=f"destruction {case.label}",
                        on_open_handover=bool(
                            workflow.open_handovers_holding(change.conn, copy.id)
                        ),
                    )
                )
            destroyed_at = at.isoformat(timespec="minutes")
            done = APPROVAL.next_status(case.status, ApprovalStep.CARRY_OUT, _no_decision(case))
            destruction.update_case(
                change.conn,
                case.id,
                status=done.value,
                destroyed_at=destroyed_at,
                place=place,
                method=method,
            )
            change.audit(
                "destruction.recorded",
                "destruction_case",
                case.id,
                number=case.label,
                destroyed_at=destroyed_at,
                place=place,
                method=method,
                copies=moved,
                before={"status": "approved"},
                after={"status": "done"},
            )
            return self._get(change, case.id)

    def emergency(
        self,
        copy_ids: list[int],
        report: str,
        *,
        at: datetime | None = None,
        place: str = "",
        method: str = "",
    ) -> DestructionCase:
        """Destroyed at once by the holder; the written report is mandatory and goes to the
        head (the case is flagged: ``emergencies()``). It takes a destruction register number.

        DOMAIN.md §4: "in an emergency the holder may destroy at once and must report in
        writing immediately". This is the accepted exception to rule 1's "a copy on an open
        handover cannot be destroyed": a copy in storage, issued to a person (on an open
        issue handover) or out of storage may be destroyed without a council or decision.
        Destroyed, declassified, lost and in-transit copies still cannot. Consequences, in
        the same transaction:

        - an open internal issue that has none of its copies left with the person is closed
          (audit ``handover.closed_by_destruction``);
        - a proposed or approved destruction case listing a copy destroyed here can no
          longer be carried out: ``approve`` and ``record`` refuse it naming the copy, and
          it may be refused. The emergency event lists those cases (``pending_cases``).
        """
        report = report.strip()
        if not report:
            raise InvalidRequest(
                reason=LazyText(N_("An emergency destruction needs the written report."))
            )
        _check_copy_list(copy_ids)
        at = local_time(at or self.ctx.clock.now())
        self._not_future(at)
        if chronology.too_old_for_emergency(at, self.ctx.clock.now()):
            raise InvalidRequest(
                reason=LazyText(
                    N_(
                        "An emergency destruction is reported at once: {at} is more than"
                        " {days} days ago. Report it as an incident instead."
                    ),
                    at=chronology.shown(at),
                    days=chronology.EMERGENCY_REPORT_DAYS,
                )
            )
        with self.ctx.change(Permission.RECORD) as change:
            copies = [load_copy(change, copy_id) for copy_id in copy_ids]
            for copy in copies:
                item = load_item(change, copy.item_id)
                if chronology.is_before(at, item.created_at):
                    raise InvalidRequest(
                        reason=LazyText(
                            N_(
                                "{copy} of item {item} was registered on {registered}:"
                                " it cannot have been destroyed before ({at})."
                            ),
                            copy=copy.label,
                            item=item.number_symbol,
                            registered=chronology.shown(item.created_at),
                            at=chronology.shown(at),
                        )
                    )
            holding: list[int] = []
            pending: list[int] = []
            for copy in copies:
                for handover_id in workflow.open_handovers_holding(change.conn, copy.id):
                    if handover_id not in holding:
                        holding.append(handover_id)
                for other in destruction.open_cases_of_copy(change.conn, copy.id):
                    if other not in pending:
                        pending.append(other)
            entry = open_entry(change, "destruction", self.ctx.today())
            label = f"{entry.number}/{entry.year}"
            moved = [
                move_copy(
                    change,
                    copy,
                    CustodyAction.DESTROY_EMERGENCY,
                    copy.holder,
                    reference=f"destruction {label} (emergency)",
                )
                for copy in copies
            ]
            destroyed_at = chronology.stored(at)
            case_id = destruction.insert_case(
                change.conn,
                copy_ids,
                [],
                entry_id=entry.id,
                grounds=report,
                emergency=1,
                proposed_by=change.actor.username,
                proposed_at=change.at_utc,
                status="done",
                destroyed_at=destroyed_at,
                place=place.strip(),
                method=method.strip(),
                report=report,
            )
            change.audit(
                "destruction.emergency",
                "destruction_case",
                case_id,
                register=f"destruction {label}",
                destroyed_at=destroyed_at,
                report=report,
                copies=moved,
                flagged_for_head=True,
                pending_cases=[self._load(change, other).label for other in pending],
                after={"status": "done"},
            )
            settle_issues(change, holding, "handover.closed_by_destruction", by_case=label)
            return self._get(change, case_id)

    def _not_future(self, at: datetime) -> None:
        if chronology.is_future(at, self.ctx.clock.now()):
            raise InvalidRequest(
                reason=LazyText(
                    N_("The destruction time ({at}) is in the future."), at=chronology.shown(at)
                )
            )

    # -- reading ---------------------------------------------------------------------------
    def get(self, case_id: int) -> DestructionCase:
        return self._load(self.ctx.read(), case_id)

    def find(self, year: int, number: int) -> DestructionCase:
        case = destruction.find_case(self.ctx.read(), year, number)
        if case is None:
            raise NotFound(what=LazyText(N_("destruction case")), ref=f"{number}/{year}")
        return case

    def emergencies(self) -> list[DestructionCase]:
        """Emergency destructions: each must be brought to the head's attention. Cases above
        the reader's clearance are left out (``hidden_count(emergency=True)``)."""
        return self._visible(destruction.cases(self.ctx.read(), emergency=True))[0]

    def hidden_count(self, *, status: str | None = None, emergency: bool | None = None) -> int:
        """How many cases the same listing leaves out as above the reader's clearance."""
        found = destruction.cases(self.ctx.read(), status=status, emergency=emergency)
        return self._visible(found)[1]

    def show(self, case_id: int) -> DestructionCase:
        """One case for the reader: refused (audited) when it lists a copy of a record above
        the reader's clearance, as the item itself is."""
        conn = self.ctx.read()
        return self._cleared(conn, self._load(conn, case_id))

    def minutes(
        self, case_id: int, *, refused_as: str = "destruction.view_refused"
    ) -> DestructionMinutes:
        """The data of the destruction minutes; only for a destruction that took place. They
        name every destroyed item: refused to a reader cleared below one of them, audited as
        ``refused_as`` (the printout records its own refusal)."""
        conn = self.ctx.read()
        case = self._load(conn, case_id)
        if case.status == "withdrawn":
            raise InvalidRequest(
                reason=LazyText(
                    N_(
                        "Destruction case {case} was withdrawn: no copy was destroyed, so there"
                        " are no minutes of an act."
                    ),
                    case=case.label,
                )
            )
        if case.status != "done" or not case.destroyed_at:
            raise InvalidRequest(
                reason=LazyText(
                    N_("Destruction case {case} has not been carried out."), case=case.label
                )
            )
        copies = _case_copies(conn, case)
        self._require_cleared(case, [c.level for c in copies], refused_as)
        return DestructionMinutes(
            case_id=case.id,
            case_number=case.number,
            year=case.year,
            grounds=case.grounds,
            emergency=case.emergency,
            decision_ref=case.decision_ref or "",
            approved_by=case.approved_by or "",
            destroyed_at=datetime.fromisoformat(case.destroyed_at),
            place=case.place or "",
            method=case.method or "",
            council=case.council,
            copies=tuple(copies),
            report=case.report or "",
            council_decision=legal.council_decision(conn, case.id),
            holder=case.proposed_by,
        )

    def copies(self, case_id: int) -> list[MinutesCopy]:
        """The copies a case lists, with their item, level and entry (what is approved)."""
        conn = self.ctx.read()
        return _case_copies(conn, self._cleared(conn, self._load(conn, case_id)))

    def _cleared(self, conn: object, case: DestructionCase) -> DestructionCase:
        self._require_cleared(case, _levels(conn, case), "destruction.view_refused")
        return case

    def _require_cleared(
        self, case: DestructionCase, levels: builtins.list[Level], action: str
    ) -> None:
        above = [level for level in levels if not self.ctx.actor.may_see(level)]
        if not above:
            return
        top = Level.highest(above)
        with self.ctx.change(Permission.READ) as change:
            change.audit(action, "destruction", case.id, number=case.label, level=top.value)
        raise NotCleared(user=self.ctx.actor.username, level=top.label_vi)

    def _visible(
        self, found: builtins.list[DestructionCase]
    ) -> tuple[builtins.list[DestructionCase], int]:
        """``found`` without the cases listing a record above the reader's clearance, and how
        many were left out."""
        if not self.ctx.actor.hidden_levels():
            return found, 0
        conn = self.ctx.read()
        may_see = self.ctx.actor.may_see
        shown = [c for c in found if all(may_see(level) for level in _levels(conn, c))]
        return shown, len(found) - len(shown)

    # -- helpers ---------------------------------------------------------------------------
    def _load(self, change_or_conn: object, case_id: int) -> DestructionCase:
        conn = getattr(change_or_conn, "conn", change_or_conn)
        case = destruction.get_case(conn, case_id)
        if case is None:
            raise NotFound(what=LazyText(N_("destruction case")), ref=f"#{case_id}")
        return case

    def _get(self, change: Change, case_id: int) -> DestructionCase:
        return self._load(change, case_id)

    def _in_status(
        self, change: Change, case_id: int, status: DestructionStatus
    ) -> DestructionCase:
        case = self._load(change, case_id)
        if case.emergency or case.status != status:
            raise InvalidRequest(
                reason=LazyText(
                    N_("Destruction case {case} is {status}."),
                    case=case.label,
                    status=status_label(case.status),
                )
            )
        return case

    def _lapsed_approval(self, change: Change, case: DestructionCase) -> Level | None:
        """The level the recorded approver of ``case`` no longer covers (the level of a copy
        was raised, or their authority lowered, since the decision); None while it stands."""
        needed = Level.highest([_case_level(change, case), LOWEST_DECIDING_LEVEL])
        return None if APPROVAL.still_covers(change, case.approved_by, needed) else needed

    def _cannot_be_carried_out(self, change: Change, case: DestructionCase) -> bool:
        """An approved case that ``record`` would refuse whatever the date, place and method."""
        if self._lapsed_approval(change, case) is not None:
            return True
        try:
            for copy_id in case.copy_ids:
                _check_destroyable(change, load_copy(change, copy_id))
        except CustodyRefused:
            return True
        return False

    def _check_approver(self, change: Change, case: DestructionCase, approver: Actor) -> Level:
        level = _case_level(change, case)
        # Art. 23: the copy authorities of Tuyệt mật and Tối mật decide destruction
        APPROVAL.check_approver(
            self.ctx,
            change,
            approver,
            level,
            case.proposed_by,
            post_level=Level.highest([level, LOWEST_DECIDING_LEVEL]),
            floor=LOWEST_DECIDING_LEVEL,
            below_floor=lambda: ApprovalRefused(
                user=approver.username,
                reason=LazyText(
                    N_(
                        "destruction is decided only by those who may authorise copying"
                        " of Tuyệt mật or Tối mật ({article})"
                    ),
                    article=basis_on(self.ctx.today()).cite("destruction"),
                ),
            ),
        )
        return level

    # listed last: the name shadows the builtin inside the class body
    def list(self, *, status: str | None = None) -> list[DestructionCase]:
        """Cases listing a copy of a record above the reader's clearance are left out
        (``hidden_count`` says how many)."""
        return self._visible(destruction.cases(self.ctx.read(), status=status))[0]


def _levels(conn: object, case: DestructionCase) -> list[Level]:
    return [load_item(conn, load_copy(conn, c).item_id).level for c in case.copy_ids]


def _case_copies(conn: object, case: DestructionCase) -> list[MinutesCopy]:
    copies = []
    for copy_id in case.copy_ids:
        copy = load_copy(conn, copy_id)
        item = load_item(conn, copy.item_id)
        copies.append(
            MinutesCopy(
                copy.id,
                copy.label,
                item.id,
                item.register_number,
                item.number_symbol,
                item.doc_date,
                item.level,
                item.pages,
            )
        )
    return copies


def _check_copy_list(copy_ids: list[int]) -> None:
    if not copy_ids:
        raise InvalidRequest(reason=LazyText(N_("List at least one copy to destroy.")))
    if len(set(copy_ids)) != len(copy_ids):
        raise InvalidRequest(reason=LazyText(N_("A copy is listed twice.")))


def _check_council(council: list[CouncilSeat]) -> list[CouncilSeat]:
    seats = [CouncilSeat(s.name.strip(), s.role.strip(), s.position.strip()) for s in council]
    for seat in seats:
        if not seat.name:
            raise InvalidRequest(reason=LazyText(N_("Every council member needs a name.")))
        if seat.role not in ROLES:
            raise InvalidRequest(
                reason=LazyText(
                    N_("Unknown council role: {role} (chair, holder or member)."), role=seat.role
                )
            )
    if sum(1 for s in seats if s.role == "chair") != 1:
        raise InvalidRequest(
            reason=LazyText(N_("The council has exactly one chair, a leader of the holding body."))
        )
    if len(seats) < 2:
        raise InvalidRequest(
            reason=LazyText(N_("The council needs the chair and at least one other member."))
        )
    if len({fold(s.name) for s in seats}) != len(seats):
        raise InvalidRequest(reason=LazyText(N_("A council member is listed twice.")))
    return seats


def _check_destroyable(change: Change, copy: Copy) -> None:
    """Rule 1: destroyed, declassified, lost, in-transit, out-of-storage copies, and copies on
    an open handover, cannot be destroyed."""
    apply(
        copy.custody,
        CustodyAction.DESTROY,
        copy.holder,
        copy_label=copy.label,
        item=load_item(change, copy.item_id).number_symbol,
        on_open_handover=bool(workflow.open_handovers_holding(change.conn, copy.id)),
    )


def _check_not_destroyed_meanwhile(change: Change, case: DestructionCase) -> None:
    """A copy of the case was destroyed since it was proposed (in an emergency): the case
    cannot be carried out for it. Named here rather than left to the custody refusal."""
    for copy_id in case.copy_ids:
        copy = load_copy(change, copy_id)
        if copy.state is not CopyState.DESTROYED:
            continue
        other_id = destruction.done_case_of_copy(change.conn, copy.id)
        other = destruction.get_case(change.conn, other_id) if other_id is not None else None
        raise InvalidRequest(
            reason=LazyText(
                N_(
                    "{copy} of {item} was already destroyed (destruction case {other}):"
                    " case {case} cannot be carried out; refuse it and propose the other"
                    " copies again."
                ),
                copy=copy.label,
                item=load_item(change, copy.item_id).number_symbol,
                other=other.label if other else "?",
                case=case.label,
            )
        )


def _case_level(change: Change, case: DestructionCase) -> Level:
    """The highest level, today, among the items of the case's copies."""
    return Level.highest(
        [load_item(change, load_copy(change, c).item_id).level for c in case.copy_ids]
    )


def _decision(case: DestructionCase) -> dict[str, object]:
    """The decision an approval or refusal of an approved case replaces (for the audit)."""
    return {
        "status": case.status,
        "approved_by": case.approved_by,
        "approved_at": case.approved_at,
        "decision_ref": case.decision_ref,
    }
