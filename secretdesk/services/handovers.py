"""Numbered handovers (chuyển giao, giao nhận) and their receipts.

Each handover gets the next number of the year's handover register. A dispatch stays open
until the signed receipt comes back; a recall item stays open until it is returned.
Only registered copies can be carried (rule 5); the custody state machine decides what
each copy may do (rule 1); a named-addressee envelope goes to that person only (rule 6).
An internal issue also ends when none of its copies is still with the person: every copy
came back with a return handover, or was destroyed in an emergency (``settle_issues``).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from secretdesk.domain import chronology
from secretdesk.domain.custody import CopyState, CustodyAction
from secretdesk.domain.handovers import Handover as Handover
from secretdesk.domain.handovers import HandoverKind, HandoverStatus
from secretdesk.domain.items import Urgency
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission
from secretdesk.domain.text import fold
from secretdesk.i18n import N_, LazyText, label
from secretdesk.services.audit import handover_level_hidden
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.custody import ensure_not_awaiting_destruction, move_copy, open_entry
from secretdesk.services.custody import settle_issues as settle_issues  # for front ends
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.services.items import DEFAULT_STORE, load_copy, load_item
from secretdesk.storage import unit, workflow

KINDS = tuple(kind.value for kind in HandoverKind)
# How each kind and status reads in tables and messages (the command line and the windows).
KIND_LABELS: dict[str, str] = {
    HandoverKind.DISPATCH: N_("Sent out"),
    HandoverKind.ISSUE: N_("Issued to a person"),
    HandoverKind.RETURN: N_("Returned"),
    HandoverKind.RECEIVE: N_("Received"),
    HandoverKind.RECALL_RETURN: N_("Recall returned"),
}
STATUS_LABELS = {
    "open": N_("Awaiting receipt"),
    "closed": N_("Completed"),
}
DEFAULT_RECEIPT_DAYS = 10  # a receipt not back after this many days is overdue


@dataclass(frozen=True)
class HandedDocument:
    """One document of a handover and which of its copies went: "12/QĐ-STP, Bản số 1, 2"."""

    item_id: int
    number_symbol: str
    originals: tuple[int, ...]  # Bản số
    reproductions: tuple[int, ...]  # Bản sao số


def _unit_name(change: Change) -> str:
    """ "Nơi gửi" on a slip is the unit that sends, never the clerk who typed it."""
    record = unit.get(change.conn)
    return record.name if record is not None else change.actor.username


def kind_label(kind: str) -> LazyText | str:
    return label(KIND_LABELS, kind)


def status_label(status: str) -> LazyText | str:
    return label(STATUS_LABELS, status)


@dataclass(frozen=True)
class Overdue:
    handover: Handover
    due: date
    days_late: int
    recall: bool


def envelope_marks(levels: list[Level], urgent: list[str], named: list[str], recall: bool) -> str:
    """What the envelope must show: level letter, urgency, named addressee, recall."""
    marks = []
    if levels:
        top = Level.highest(levels)
        marks.append(f"{top.letter} ({top.label_vi})")
    marks.extend(sorted(set(urgent)))
    if named:
        marks.append("Chỉ người có tên mới được bóc bì: " + ", ".join(sorted(set(named))))
    if recall:
        marks.append("Tài liệu thu hồi")
    return "; ".join(marks)


class HandoverService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def create(
        self,
        kind: HandoverKind | str,
        copy_ids: list[int],
        *,
        recipient_body: str = "",
        recipient_person: str = "",
        courier: str = "",
        marks: str = "",
        due_by: date | None = None,
        sender: str | None = None,
    ) -> Handover:
        if kind not in KINDS:
            raise InvalidRequest(
                reason=LazyText(N_("Unknown kind of handover: {kind}."), kind=kind)
            )
        kind = HandoverKind(kind)
        if not copy_ids:
            raise InvalidRequest(reason=LazyText(N_("A handover carries at least one copy.")))
        if len(set(copy_ids)) != len(copy_ids):
            raise InvalidRequest(reason=LazyText(N_("A copy is listed twice.")))
        if kind.needs_body and not recipient_body.strip():
            raise InvalidRequest(reason=LazyText(N_("Name the receiving body.")))
        if kind.needs_person and not recipient_person.strip():
            raise InvalidRequest(reason=LazyText(N_("Name the person receiving the copies.")))
        if due_by is not None and due_by < self.ctx.today():
            raise InvalidRequest(
                reason=LazyText(
                    N_("The receipt cannot be due ({due}) before the handover is made."),
                    due=chronology.shown(due_by),
                )
            )
        with self.ctx.change(Permission.RECORD) as change:
            levels, urgent, named, recall, returned_from = self._check_and_move(
                change, kind, copy_ids, recipient_body.strip(), recipient_person.strip()
            )
            entry = open_entry(change, "handovers", self.ctx.today())
            all_marks = "; ".join(
                m for m in (envelope_marks(levels, urgent, named, recall), marks.strip()) if m
            )
            handover_id = workflow.insert_handover(
                change.conn,
                copy_ids,
                entry_id=entry.id,
                kind=kind,
                sender=(sender or _unit_name(change)).strip(),
                recipient_body=recipient_body.strip(),
                recipient_person=recipient_person.strip(),
                courier=courier.strip(),
                envelope_marks=all_marks,
                handed_at=change.at_utc,
                due_by=due_by.isoformat() if due_by else None,
                created_at=change.at_utc,
            )
            if kind.closed_at_once:
                workflow.close_handover(
                    change.conn, handover_id, self.ctx.actor.username, change.at_utc
                )
            handover = self._get(change, handover_id)
            change.audit(
                "handover.created",
                "handover",
                handover_id,
                number=handover.label,
                kind=kind,
                copies=copy_ids,
                to=recipient_body or recipient_person,
            )
            settle_issues(
                change, returned_from, "handover.closed_by_return", by_handover=handover.label
            )
            return handover

    def _check_and_move(
        self, change: Change, kind: HandoverKind, copy_ids: list[int], body: str, person: str
    ) -> tuple[list[Level], list[str], list[str], bool, list[int]]:
        """Check and move each copy; also returns the open handovers a return brings copies
        back from (they close once nothing of them is still out: ``settle_issues``)."""
        levels: list[Level] = []
        urgent: list[str] = []
        named: list[str] = []
        recall = False
        returned_from: list[int] = []
        for copy_id in copy_ids:
            copy = load_copy(change, copy_id)  # rule 5: only registered copies
            item = load_item(change, copy.item_id)
            if item.cancelled:
                raise InvalidRequest(
                    reason=LazyText(
                        N_("Item {item} was cancelled in the register."), item=item.number_symbol
                    )
                )
            levels.append(item.level)
            if item.urgency:
                urgent.append(Urgency(item.urgency).label_vi)
            if item.named_addressee:
                named.append(item.named_addressee)
                if kind == HandoverKind.ISSUE and fold(person) != fold(item.named_addressee):
                    raise InvalidRequest(
                        reason=LazyText(
                            N_("{copy} of {item} may only be handed to {name}."),
                            copy=copy.label,
                            item=item.number_symbol,
                            name=item.named_addressee,
                        )
                    )
            recall = recall or bool(item.recall_by)
            if kind.leaves_storage:
                ensure_not_awaiting_destruction(change, copy, item.number_symbol)
            action = kind.custody_action
            if action is None:  # a receipt from another body: the copies must be here
                if copy.state is not CopyState.IN_STORAGE:
                    raise InvalidRequest(
                        reason=LazyText(
                            N_("{copy} of {item} is not in storage."),
                            copy=copy.label,
                            item=item.number_symbol,
                        )
                    )
                continue
            holder = {
                HandoverKind.DISPATCH: body,
                HandoverKind.ISSUE: person,
                HandoverKind.RECALL_RETURN: body,
            }.get(kind, item.storage_location or DEFAULT_STORE)
            holding = workflow.open_handovers_holding(change.conn, copy.id)
            if kind == HandoverKind.RETURN:  # the copy comes back from the issue it went out on
                returned_from.extend(h for h in holding if h not in returned_from)
                holding = []
            move_copy(
                change,
                copy,
                action,
                holder,
                reference=f"handover {kind}",
                on_open_handover=bool(holding),
                item=item.number_symbol,
            )
        return levels, urgent, named, recall, returned_from

    def _get(self, change: Change, handover_id: int) -> Handover:
        handover = workflow.get_handover(change.conn, handover_id)
        assert handover is not None
        return handover

    def find(self, year: int, number: int) -> Handover:
        handover = workflow.find_handover(self.ctx.read(), year, number)
        if handover is None:
            raise NotFound(what=LazyText(N_("handover")), ref=f"{number}/{year}")
        return handover

    def receipt(
        self,
        year: int,
        number: int,
        received_by: str,
        at: datetime | date,
        *,
        evidence: Callable[[Change, Handover], object] | None = None,
    ) -> Handover:
        """The signed receipt came back: close the handover (a recall stays open).

        ``at`` is when the recipient signed: not in the future and not before the handover
        was made; a date alone means "that day". ``evidence`` runs in the same transaction
        (scan-back attaches the scanned slip), so the receipt and its scan are kept together."""
        if not received_by.strip():
            raise InvalidRequest(reason=LazyText(N_("Who signed the receipt?")))
        if chronology.is_future(at, self.ctx.clock.now()):
            raise InvalidRequest(
                reason=LazyText(
                    N_("The receipt time ({at}) is in the future."), at=chronology.shown(at)
                )
            )
        with self.ctx.change(Permission.RECORD) as change:
            handover = self.find(year, number)
            if chronology.is_before(at, handover.handed_at):
                raise InvalidRequest(
                    reason=LazyText(
                        N_(
                            "The receipt ({at}) cannot be signed before handover {number}"
                            " was made ({handed})."
                        ),
                        at=chronology.shown(at),
                        number=handover.label,
                        handed=chronology.shown(handover.handed_at),
                    )
                )
            if handover.status == "closed" or handover.receipt_at:
                raise InvalidRequest(
                    reason=LazyText(
                        N_("Handover {number} already has its receipt."), number=handover.label
                    )
                )
            recall = False
            for copy_id in handover.copy_ids:
                copy = load_copy(change, copy_id)
                item = load_item(change, copy.item_id)
                recall = recall or bool(item.recall_by)
                if handover.kind == HandoverKind.DISPATCH:
                    move_copy(
                        change,
                        copy,
                        CustodyAction.CONFIRM_DELIVERY,
                        copy.holder,
                        reference=f"handover {handover.label}",
                        item=item.number_symbol,
                    )
            at_text = chronology.stored(at)
            if handover.kind == HandoverKind.DISPATCH and recall:
                workflow.record_receipt(change.conn, handover.id, received_by.strip(), at_text)
            else:
                workflow.close_handover(change.conn, handover.id, received_by.strip(), at_text)
            change.audit(
                "handover.receipt",
                "handover",
                handover.id,
                number=handover.label,
                received_by=received_by.strip(),
                at=at_text,
                stays_open=recall,
            )
            if evidence is not None:
                evidence(change, handover)
            return self._get(change, handover.id)

    def recall_back(self, year: int, number: int) -> Handover:
        """A recall item we dispatched has come back: back in storage, handover closed."""
        with self.ctx.change(Permission.RECORD) as change:
            handover = self.find(year, number)
            if handover.kind != HandoverKind.DISPATCH or handover.status == HandoverStatus.CLOSED:
                raise InvalidRequest(
                    reason=LazyText(
                        N_("Handover {number} is not an open dispatch."), number=handover.label
                    )
                )
            for copy_id in handover.copy_ids:
                copy = load_copy(change, copy_id)
                item = load_item(change, copy.item_id)
                move_copy(
                    change,
                    copy,
                    CustodyAction.RECALL_BACK,
                    item.storage_location or DEFAULT_STORE,
                    reference=f"handover {handover.label}",
                    item=item.number_symbol,
                )
            workflow.close_handover(
                change.conn, handover.id, self.ctx.actor.username, change.at_utc
            )
            change.audit("handover.recalled", "handover", handover.id, number=handover.label)
            return self._get(change, handover.id)

    def list(self, *, status: str | None = None, year: int | None = None) -> list[Handover]:
        """Handovers carrying a record above the reader's clearance are left out
        (``hidden_count`` says how many)."""
        conn = self.ctx.read()
        found = workflow.handovers(conn, status=status, year=year)
        hidden = {level.value for level in self.ctx.actor.hidden_levels()}
        if not hidden:
            return found
        return [h for h in found if not handover_level_hidden(conn, h, hidden)]

    def hidden_count(self, *, status: str | None = None, year: int | None = None) -> int:
        """How many handovers the same listing leaves out as above the reader's clearance."""
        hidden = {level.value for level in self.ctx.actor.hidden_levels()}
        if not hidden:
            return 0
        conn = self.ctx.read()
        found = workflow.handovers(conn, status=status, year=year)
        return sum(1 for h in found if handover_level_hidden(conn, h, hidden))

    def documents(
        self, handovers: builtins.list[Handover]
    ) -> dict[int, tuple[HandedDocument, ...]]:
        """The documents and copy numbers of each handover, by handover id, items in id order."""
        conn = self.ctx.read()
        found: dict[int, tuple[HandedDocument, ...]] = {}
        for handover in handovers:
            copies = sorted(
                (load_copy(conn, copy_id) for copy_id in handover.copy_ids),
                key=lambda copy: (copy.item_id, copy.kind != "original", copy.number),
            )
            documents = []
            for item_id in dict.fromkeys(copy.item_id for copy in copies):
                mine = [copy for copy in copies if copy.item_id == item_id]
                documents.append(
                    HandedDocument(
                        item_id,
                        load_item(conn, item_id).number_symbol,
                        tuple(c.number for c in mine if c.kind == "original"),
                        tuple(c.number for c in mine if c.kind != "original"),
                    )
                )
            found[handover.id] = tuple(documents)
        return found

    def overdue(self, today: date | None = None) -> builtins.list[Overdue]:
        """Open handovers whose receipt (or recall return) is late: the clerk's work list
        (those above the reader's clearance are left out, as in ``list``)."""
        today = today or self.ctx.today()
        conn = self.ctx.read()
        late = []
        for handover in self.list(status="open"):
            handed = datetime.fromisoformat(handover.handed_at).date()
            recall_dates = []
            for copy_id in handover.copy_ids:
                item = load_item(conn, load_copy(conn, copy_id).item_id)
                if item.recall_by:
                    recall_dates.append(date.fromisoformat(item.recall_by))
            if handover.receipt_at and recall_dates:
                due, recall = min(recall_dates), True
            elif handover.due_by:
                due, recall = date.fromisoformat(handover.due_by), False
            else:
                due, recall = handed + timedelta(days=DEFAULT_RECEIPT_DAYS), False
            if today > due:
                late.append(Overdue(handover, due, (today - due).days, recall))
        return late
