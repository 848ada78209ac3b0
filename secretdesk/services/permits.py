"""Take-out permits and provision to another body (DOMAIN.md §4, §5).

A take-out permit (mang ra khỏi nơi lưu giữ) names the requester, purpose, place, time window
and protection measures; once a countersigned approver agrees, the copies are out of storage
with the requester; the permit is closed by a report on use and the return of the copies.
A provision request (cung cấp, chuyển giao) names the requesting body, its representative and
its commitment to protect; approval only records the decision: the clerk then hands the copies
over with a dispatch handover, and the provision is closed with a report (it moves nothing).
An approved provision no longer holds its copies: the dispatch handover and the custody
state do. Nobody approves what they recorded themselves, nor what they asked for (rule 3).
An unopened "Chỉ người có tên mới được bóc bì" envelope goes to the named person only (rule 6).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from secretdesk.domain.approvals import ApprovalStep
from secretdesk.domain.copies import Copy
from secretdesk.domain.custody import CopyState, CustodyAction, apply
from secretdesk.domain.items import Item
from secretdesk.domain.levels import Level
from secretdesk.domain.permits import PERMIT_FLOW, Permit, PermitKind, PermitStatus
from secretdesk.domain.roles import Actor, ApprovalRefused, Permission
from secretdesk.domain.text import fold
from secretdesk.i18n import N_, LazyText, label
from secretdesk.services.approval import FOREIGN_POSTS, ApprovalWorkflow
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.custody import ensure_not_awaiting_destruction, move_copy
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.services.items import DEFAULT_STORE, load_copy, load_item
from secretdesk.services.registry import basis_on
from secretdesk.storage import foreign_provision, legal, permits, workflow
from secretdesk.storage.foreign_provision import ForeignRepresentative
from secretdesk.storage.legal import PermitLegalRow

KINDS = tuple(kind.value for kind in PermitKind)
STATUSES = tuple(status.value for status in PermitStatus)
# How each kind and status reads in tables and messages.
KIND_LABELS = {
    "take-out": N_("take-out"),
    "provision": N_("provision to another body"),
}
STATUS_LABELS = {
    "requested": N_("awaiting approval"),
    "approved": N_("approved"),
    "refused": N_("refused"),
    "closed": N_("closed"),
}


# request -> approve (countersigned) | refuse -> closed with the report on use
APPROVAL = ApprovalWorkflow(PERMIT_FLOW)


def status_label(status: str) -> LazyText | str:
    return label(STATUS_LABELS, status)


def kind_label(kind: str) -> LazyText | str:
    return label(KIND_LABELS, kind)


# The four variants a clerk tells apart: a kind, and whether it goes abroad (Law 2018 Art.
# 14.2, taking items abroad) or to a foreign body or person (Art. 16). The permits list, the
# print preview's title and the audit sentences all read them from here.
VARIANT_LABELS = {
    "take-out": N_("take-out"),
    "take-out-abroad": N_("taking abroad"),
    "provision": N_("provision to another body"),
    "provision-foreign": N_("provision to a foreign body or person"),
}
VARIANT_TITLES = {
    "take-out": N_("Take-out permit #{id}"),
    "take-out-abroad": N_("Permit to take items abroad #{id}"),
    "provision": N_("Provision request #{id}"),
    "provision-foreign": N_("Decision on provision to a foreign body or person #{id}"),
}


def variant(kind: str, abroad: bool) -> str:
    """``take-out``, ``take-out-abroad``, ``provision`` or ``provision-foreign``."""
    if not abroad:
        return kind
    return "take-out-abroad" if kind == "take-out" else f"{kind}-foreign"


def variant_label(kind: str, abroad: bool) -> LazyText | str:
    return label(VARIANT_LABELS, variant(kind, abroad))


def variant_title(kind: str, abroad: bool, permit_id: int) -> LazyText | str:
    message = VARIANT_TITLES.get(variant(kind, abroad))
    return LazyText(message, id=permit_id) if message else f"{kind} #{permit_id}"


def _decided(permit: Permit) -> Callable[[], InvalidRequest]:
    """The refusal of a second decision on ``permit``."""
    return lambda: InvalidRequest(
        reason=LazyText(
            N_("Permit #{id} is already {status}."),
            id=permit.id,
            status=status_label(permit.status),
        )
    )


@dataclass(frozen=True)
class PermitLine:
    """One item of a permit and which of its copies it covers (a line of the printed form)."""

    item_id: int
    register_number: str
    number_symbol: str
    doc_date: str
    level: Level
    pages: int | None
    copy_labels: tuple[str, ...]
    doc_type: str = ""
    summary: str = ""  # never printed for a Tuyệt mật item (ND26 Art. 5)


@dataclass(frozen=True)
class PermitDocument:
    """Everything the take-out permit or the provision request prints."""

    permit: Permit
    lines: tuple[PermitLine, ...]
    level: Level  # the highest level among the copies
    legal: PermitLegalRow | None = None
    foreign: ForeignRepresentative | None = None  # provision to a foreign body (Art. 16)


# The old name of services/custody.py ``move_copy``, for branches in flight.
custody_step = move_copy


def local_time(moment: datetime) -> datetime:
    """Times written on forms are local wall-clock times without a zone."""
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def _minutes(moment: datetime | None) -> str | None:
    return local_time(moment).isoformat(timespec="minutes") if moment else None


class PermitService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def request(
        self,
        kind: str,
        copy_ids: list[int],
        *,
        requester: str,
        purpose: str,
        place: str = "",
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
        protection: str = "",
        requesting_body: str = "",
        commitment: str = "",
        requester_unit: str = "",
        requester_position: str = "",
        abroad: bool = False,
        delegation_head: str = "",
        foreign: bool = False,
        nationality: str = "",
        passport: str = "",
    ) -> Permit:
        """Record a written request; for a provision ``requester`` is the body's representative.

        A take-out request names (ND26 Art. 5) the requester, their post and unit (this unit
        when not given), the items (their type, summary and level come from the register),
        purpose, time, place and protection measures. Taking items abroad (``abroad``) is its
        own kind (Law 2018 Art. 14.2): it names the head of the delegation it is reported to
        and, once the unit gives approvers posts, needs a post of the Tuyệt mật list.
        Provision to a foreign body or person (``foreign``) is its own variant (Art. 16): the
        posts that decide it are the article's own, kept in the same column as ``abroad``;
        the request gives the representative's post, nationality and passport number."""
        cite = basis_on(self.ctx.today()).cite
        if foreign and kind != "provision":
            raise InvalidRequest(
                reason=LazyText(
                    N_("Only a provision can go to a foreign body or person ({article})."),
                    article=cite("provision_abroad"),
                )
            )
        rule = "provision_abroad" if foreign else "provision"
        representative = ForeignRepresentative(nationality.strip(), passport.strip())
        requester_unit, requester_position = requester_unit.strip(), requester_position.strip()
        delegation_head = delegation_head.strip()
        if abroad and kind != "take-out":
            raise InvalidRequest(reason=LazyText(N_("Only a take-out can be taken abroad.")))
        if abroad and not delegation_head:
            raise InvalidRequest(
                reason=LazyText(
                    N_(
                        "Name the head of the delegation the items abroad are reported to"
                        " ({article})."
                    ),
                    article=basis_on(self.ctx.today()).cite("take_out_abroad"),
                )
            )
        requester, purpose, place = requester.strip(), purpose.strip(), place.strip()
        protection, body, commitment = (
            protection.strip(),
            requesting_body.strip(),
            commitment.strip(),
        )
        self._validate(kind, copy_ids, requester, purpose)
        if kind == "take-out":
            if not place:
                raise InvalidRequest(
                    reason=LazyText(
                        N_("Say where the copies will be taken ({article})."),
                        article=cite("take_out"),
                    )
                )
            if starts_at is None or ends_at is None:
                raise InvalidRequest(
                    reason=LazyText(
                        N_("A take-out permit needs the time it starts and ends ({article})."),
                        article=cite("take_out"),
                    )
                )
            if local_time(ends_at) <= local_time(starts_at):
                raise InvalidRequest(
                    reason=LazyText(N_("The copies must come back after they are taken out."))
                )
            if not protection:
                raise InvalidRequest(
                    reason=LazyText(
                        N_("Describe how the copies will be protected outside ({article})."),
                        article=cite("take_out"),
                    )
                )
        else:
            if not body:
                raise InvalidRequest(
                    reason=LazyText(N_("Name the requesting body ({article})."), article=cite(rule))
                )
            if not commitment:
                raise InvalidRequest(
                    reason=LazyText(
                        N_("The requesting body must commit to protect the copies ({article})."),
                        article=cite(rule),
                    )
                )
            if foreign and not (
                representative.nationality and representative.passport and requester_position
            ):
                raise InvalidRequest(
                    reason=LazyText(
                        N_(
                            "Give the post, nationality and passport number of the foreign"
                            " body's representative ({article})."
                        ),
                        article=cite(rule),
                    )
                )
        with self.ctx.change(Permission.RECORD) as change:
            for copy_id in copy_ids:
                self._check_copy(change, kind, copy_id, requester or body, new_request=True)
            permit_id = permits.insert_permit(
                change.conn,
                copy_ids,
                kind=kind,
                requester=requester,
                requesting_body=body,
                purpose=purpose,
                place=place,
                starts_at=_minutes(starts_at),
                ends_at=_minutes(ends_at),
                protection=protection,
                commitment=commitment,
                recorded_by=change.actor.username,
                recorded_at=change.at_utc,
            )
            legal.insert_permit_legal(
                change.conn,
                permit_id,
                abroad=abroad or foreign,
                requester_unit=requester_unit,
                requester_position=requester_position,
                delegation_head=delegation_head,
            )
            if foreign:
                foreign_provision.insert(change.conn, permit_id, representative)
            change.audit(
                "permit.requested",
                "permit",
                permit_id,
                kind=kind,
                copies=copy_ids,
                requester=requester,
                requesting_body=body,
                purpose=purpose,
                abroad=abroad,
                foreign=foreign,
                requester_unit=requester_unit,
                after={"status": "requested"},
            )
            return self._get(change, permit_id)

    def _validate(self, kind: str, copy_ids: list[int], requester: str, purpose: str) -> None:
        if kind not in KINDS:
            raise InvalidRequest(reason=LazyText(N_("Unknown kind of permit: {kind}."), kind=kind))
        if not copy_ids:
            raise InvalidRequest(reason=LazyText(N_("A permit covers at least one copy.")))
        if len(set(copy_ids)) != len(copy_ids):
            raise InvalidRequest(reason=LazyText(N_("A copy is listed twice.")))
        if not requester:
            raise InvalidRequest(reason=LazyText(N_("Name the person requesting the copies.")))
        if not purpose:
            raise InvalidRequest(reason=LazyText(N_("State the purpose of the request.")))

    def _check_copy(
        self, change: Change, kind: str, copy_id: int, holder: str, *, new_request: bool
    ) -> tuple[Copy, Item]:
        """Rule 1: the copy must be able to leave (take-out) or be handed over (provision);
        rule 6: an unopened named-addressee envelope goes to that person only."""
        copy = load_copy(change, copy_id)
        item = load_item(change, copy.item_id)
        if item.cancelled:
            raise InvalidRequest(
                reason=LazyText(
                    N_("Item {item} was cancelled in the register."), item=item.number_symbol
                )
            )
        named = item.named_addressee or ""
        if item.unopened and fold(holder) != fold(named):
            raise InvalidRequest(
                reason=LazyText(
                    N_(
                        "{copy} of {item} is an unopened envelope that only {name} may open:"
                        " it cannot go to {requester}."
                    ),
                    copy=copy.label,
                    item=item.number_symbol,
                    name=named,
                    requester=holder,
                )
            )
        ensure_not_awaiting_destruction(change, copy, item.number_symbol)
        if kind == "take-out":
            apply(
                copy.custody,
                CustodyAction.TAKE_OUT,
                holder,
                copy_label=copy.label,
                item=item.number_symbol,
            )
        else:
            on_handover = bool(workflow.open_handovers_holding(change.conn, copy.id))
            apply(
                copy.custody,
                CustodyAction.DISPATCH,
                holder,
                copy_label=copy.label,
                item=item.number_symbol,
                on_open_handover=on_handover,
            )
        if new_request:
            others = permits.open_permits_of_copy(change.conn, copy.id)
            if others:
                raise InvalidRequest(
                    reason=LazyText(
                        N_("{copy} of {item} is already on permit #{permit}."),
                        copy=copy.label,
                        item=item.number_symbol,
                        permit=others[0],
                    )
                )
        return copy, item

    def approve(self, permit_id: int, approver: Actor) -> Permit:
        """Rule 3: a countersigned approver whose authority covers the highest level, who
        neither recorded the request nor made it.

        A take-out permit moves its copies out of storage to the requester; a provision only
        records the decision (the dispatch handover follows).
        """
        with self.ctx.change(Permission.RECORD) as change:
            permit = self._load(change, permit_id)
            decided = APPROVAL.decision(
                change, permit.status, ApprovalStep.APPROVE, approver, _decided(permit)
            )
            level = self._check_approver(change, permit, approver)
            moved = []
            for copy_id in permit.copy_ids:
                copy, _item = self._check_copy(
                    change, permit.kind, copy_id, permit.requester, new_request=False
                )
                if permit.kind == "take-out":
                    moved.append(
                        move_copy(
                            change,
                            copy,
                            CustodyAction.TAKE_OUT,
                            permit.requester,
                            reference=f"permit #{permit.id}",
                        )
                    )
            permits.update_permit(change.conn, permit.id, **decided)
            change.audit(
                "permit.approved",
                "permit",
                permit.id,
                kind=permit.kind,
                approver=approver.username,
                # the post they decided in: a later post must not rewrite the printed decision
                post=legal.posts(change.conn).get(approver.username),
                level=level.value,
                copies=moved,
                before={"status": "requested"},
                after={"status": "approved"},
            )
            return self._get(change, permit.id)

    def refuse(self, permit_id: int, approver: Actor) -> Permit:
        with self.ctx.change(Permission.RECORD) as change:
            permit = self._load(change, permit_id)
            decided = APPROVAL.decision(
                change, permit.status, ApprovalStep.REFUSE, approver, _decided(permit)
            )
            self._check_approver(change, permit, approver)
            permits.update_permit(change.conn, permit.id, **decided)
            change.audit(
                "permit.refused",
                "permit",
                permit.id,
                approver=approver.username,
                before={"status": "requested"},
                after={"status": "refused"},
            )
            return self._get(change, permit.id)

    def close(self, permit_id: int, report: str) -> Permit:
        """The report on use. For a take-out, the copies still out come back to storage
        (bring back); a provision only records the report: its copies went, and come back,
        through handovers."""
        report = report.strip()
        if not report:
            raise InvalidRequest(reason=LazyText(N_("A permit is closed with a report on use.")))
        with self.ctx.change(Permission.RECORD) as change:
            permit = self._load(change, permit_id)
            closed = APPROVAL.next_status(
                permit.status,
                ApprovalStep.CARRY_OUT,
                lambda: InvalidRequest(
                    reason=LazyText(
                        N_("Permit #{id} is {status}, not approved."),
                        id=permit.id,
                        status=status_label(permit.status),
                    )
                ),
            )
            returned, missing = [], []
            for copy_id in permit.copy_ids if permit.kind == "take-out" else ():
                copy = load_copy(change, copy_id)
                if copy.state is not CopyState.OUT_OF_STORAGE:
                    missing.append(
                        {"copy": copy.id, "label": copy.label, "state": copy.state.value}
                    )
                    continue
                item = load_item(change, copy.item_id)
                returned.append(
                    move_copy(
                        change,
                        copy,
                        CustodyAction.BRING_BACK,
                        item.storage_location or DEFAULT_STORE,
                        reference=f"permit #{permit.id}",
                    )
                )
            permits.update_permit(
                change.conn,
                permit.id,
                status=closed.value,
                closed_at=change.at_utc,
                closing_report=report,
            )
            change.audit(
                "permit.closed",
                "permit",
                permit.id,
                kind=permit.kind,
                report=report,
                copies=returned,
                not_returned=missing,
                before={"status": "approved"},
                after={"status": "closed"},
            )
            return self._get(change, permit.id)

    # -- reading ---------------------------------------------------------------------------
    def get(self, permit_id: int) -> Permit:
        return self._load(self.ctx.read(), permit_id)

    def overdue(self, now: datetime | None = None) -> list[Permit]:
        """Approved take-outs whose copies should be back by now: the clerk's work list.
        Permits above the reader's clearance are left out (``hidden_count(overdue=True)``)."""
        return self._visible(self._overdue(now))[0]

    def hidden_count(
        self, *, status: str | None = None, kind: str | None = None, overdue: bool = False
    ) -> int:
        """How many permits the same listing leaves out as above the reader's clearance."""
        found = (
            self._overdue(None)
            if overdue
            else permits.permits(self.ctx.read(), status=status, kind=kind)
        )
        return self._visible(found)[1]

    def _overdue(self, now: datetime | None) -> builtins.list[Permit]:
        now = local_time(now or self.ctx.clock.now())
        return [
            p
            for p in permits.permits(self.ctx.read(), status="approved", kind="take-out")
            if p.ends_at and datetime.fromisoformat(p.ends_at) < now
        ]

    def _visible(self, found: builtins.list[Permit]) -> tuple[builtins.list[Permit], int]:
        """``found`` without the permits listing a record above the reader's clearance, and
        how many were left out."""
        if not self.ctx.actor.hidden_levels():
            return found, 0
        conn = self.ctx.read()
        shown = [
            p for p in found if all(self.ctx.actor.may_see(lv) for lv in self._levels(conn, p))
        ]
        return shown, len(found) - len(shown)

    @staticmethod
    def _levels(conn: object, permit: Permit) -> builtins.list[Level]:
        return [load_item(conn, load_copy(conn, c).item_id).level for c in permit.copy_ids]

    def document(self, permit_id: int) -> PermitDocument:
        """The data of the printed permit, one line per item."""
        conn = self.ctx.read()
        permit = self._load(conn, permit_id)
        by_item: dict[int, list[str]] = {}
        for copy_id in permit.copy_ids:
            copy = load_copy(conn, copy_id)
            by_item.setdefault(copy.item_id, []).append(copy.label)
        lines = []
        for item_id, labels in by_item.items():
            item = load_item(conn, item_id)
            lines.append(
                PermitLine(
                    item.id,
                    item.register_number,
                    item.number_symbol,
                    item.doc_date,
                    item.level,
                    item.pages,
                    tuple(labels),
                    item.doc_type,
                    item.summary or "",
                )
            )
        return PermitDocument(
            permit,
            tuple(lines),
            Level.highest([ln.level for ln in lines]),
            legal.permit_legal(conn, permit.id),
            foreign_provision.of_permit(conn, permit.id),
        )

    # -- helpers ---------------------------------------------------------------------------
    def _load(self, change_or_conn: object, permit_id: int) -> Permit:
        conn = getattr(change_or_conn, "conn", change_or_conn)
        permit = permits.get_permit(conn, permit_id)
        if permit is None:
            raise NotFound(what=LazyText(N_("permit")), ref=f"#{permit_id}")
        return permit

    def _get(self, change: Change, permit_id: int) -> Permit:
        return self._load(change, permit_id)

    def _check_approver(self, change: Change, permit: Permit, approver: Actor) -> Level:
        """Rule 3: authority over the highest level; not the clerk who recorded the request,
        and not the person who asked for the copies (by user name or full name)."""
        level = self._highest_level(change, permit)
        abroad = legal.permit_legal(change.conn, permit.id).abroad
        post: str | None
        if permit.kind == "provision" and abroad:  # Art. 16: to a foreign body or person
            post, post_level = FOREIGN_POSTS, level
        elif permit.kind == "provision":  # Law 2025 Art. 15: the copy authority for the level
            post, post_level = "provision", level
        elif abroad:  # Law 2018 Art. 14.2
            post, post_level = "take_out_abroad", Level.TUYET_MAT
        else:  # in the country: the head or an authorised deputy, no post list
            post, post_level = None, level
        APPROVAL.check_approver(
            self.ctx, change, approver, level, permit.recorded_by, post=post, post_level=post_level
        )
        if fold(permit.requester) in {fold(approver.username), fold(approver.full_name)}:
            raise ApprovalRefused(
                user=approver.username, reason=LazyText(N_("nobody approves their own request"))
            )
        return level

    def _highest_level(self, change: Change, permit: Permit) -> Level:
        return Level.highest(
            [load_item(change, load_copy(change, c).item_id).level for c in permit.copy_ids]
        )

    # listed last: the name shadows the builtin inside the class body
    def list(self, *, status: str | None = None, kind: str | None = None) -> list[Permit]:
        """Permits listing a copy of a record above the reader's clearance are left out
        (``hidden_count`` says how many)."""
        return self._visible(permits.permits(self.ctx.read(), status=status, kind=kind))[0]
