"""The custody steps shared by several use cases, run inside the caller's transaction.

Each takes the ``Change`` (the one transaction of the calling service, services/context.py)
and writes through it, so the step and the caller's own change and audit events commit
together or not at all (DESIGN.md §1). They are:

- ``move_copy``: one copy through the custody state machine, kept in its history;
- ``settle_issues``: close internal issues that have nothing left with the person;
- ``open_entry``: the next number of a register;
- ``ensure_not_awaiting_destruction``: a copy in an approved destruction case stays put.

Services call these instead of each other's methods (which would open a second transaction).
"""

from __future__ import annotations

from datetime import date

from secretdesk.domain.books import Entry
from secretdesk.domain.copies import Copy
from secretdesk.domain.custody import CustodyAction, apply
from secretdesk.domain.destruction import DestructionStatus
from secretdesk.domain.handovers import HandoverKind, HandoverStatus
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import Change
from secretdesk.services.errors import BookLocked, InvalidRequest
from secretdesk.services.registry import book_for, book_name
from secretdesk.storage import destruction, items, registry, workflow
from secretdesk.storage.sqlite import IntegrityError


def move_copy(
    change: Change,
    copy: Copy,
    action: CustodyAction,
    holder: str,
    *,
    reference: str,
    on_open_handover: bool = False,
    item: str | None = None,
) -> dict[str, object]:
    """Move one copy through the custody state machine (domain/custody.py; refused with
    CustodyRefused when the rules forbid it) and keep the step in its history.

    ``item`` is the number and symbol the refusal names (looked up when not given). Returns
    the before/after of the copy for the audit event."""
    if item is None:
        found = items.get_item(change.conn, copy.item_id)
        item = found.number_symbol if found is not None else "?"
    target = apply(
        copy.custody,
        action,
        holder,
        copy_label=copy.label,
        item=item,
        on_open_handover=on_open_handover,
    )
    items.move_copy(
        change.conn,
        copy,
        target,
        action=action.value,
        at_utc=change.at_utc,
        actor=change.actor.username,
        reference=reference,
    )
    return {
        "copy": copy.id,
        "label": copy.label,
        "before": {"state": copy.state.value, "holder": copy.holder},
        "after": {"state": target.state.value, "holder": target.holder},
    }


def settle_issues(
    change: Change, handover_ids: list[int], action: str, **detail: object
) -> list[str]:
    """Close the open internal issues among ``handover_ids`` that have none of their copies
    still with the person, each with its own audit event ``action``; returns their numbers.

    No receipt is recorded: nobody signed for the copies, they came back or were destroyed.
    Any other open handover (a dispatch awaiting its receipt or a recall) is left as it is.
    """
    closed = []
    for handover_id in handover_ids:
        handover = workflow.get_handover(change.conn, handover_id)
        if (
            handover is None
            or handover.kind != HandoverKind.ISSUE
            or handover.status != HandoverStatus.OPEN
        ):
            continue
        if workflow.still_issued(change.conn, handover.id):
            continue
        workflow.end_handover(change.conn, handover.id)
        change.audit(
            action,
            "handover",
            handover.id,
            number=handover.label,
            copies=list(handover.copy_ids),
            **detail,
            before={"status": "open"},
            after={"status": "closed"},
        )
        closed.append(handover.label)
    return closed


def ensure_not_awaiting_destruction(change: Change, copy: Copy, item: str) -> None:
    """A copy in an approved destruction case stays where the council will find it until the
    case is carried out, refused or withdrawn: handing it over would leave the case stuck."""
    for case_id in destruction.open_cases_of_copy(change.conn, copy.id):
        case = destruction.get_case(change.conn, case_id)
        if case is not None and case.status == DestructionStatus.APPROVED:
            raise InvalidRequest(
                reason=LazyText(
                    N_(
                        "{copy} of item {item} is in destruction case {case}, which has been"
                        " approved: it cannot leave storage until the case is carried out,"
                        " refused or withdrawn."
                    ),
                    copy=copy.label,
                    item=item,
                    case=case.label,
                )
            )


def open_entry(change: Change, kind: str, day: date, corrects: int | None = None) -> Entry:
    """Open a register entry: the next number of the ``kind`` register for ``day``'s year (its
    book opened when there is none); the database refuses gaps, reuse and a locked book."""
    book = book_for(change, kind, day)
    try:
        return registry.add_entry(
            change.conn,
            book,
            created_at=change.at_utc,
            created_by=change.actor.username,
            corrects_entry_id=corrects,
        )
    except IntegrityError as error:
        if "locked" in str(error):
            raise BookLocked(book=book_name(book)) from error
        raise
