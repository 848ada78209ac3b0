"""When an internal issue closes: partial returns and emergency destruction (review p5, p6).

An internal issue stays open while any of its copies is still with the person (rule 1: those
copies cannot be dispatched from there); it closes, with its own audit event and no invented
receipt, once every copy came back or was destroyed in an emergency (DOMAIN.md §4).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.domain.custody import CopyState
from secretdesk.domain.errors import CustodyRefused
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.storage import items
from secretdesk.storage.destruction import CouncilSeat
from tests.helpers import new_app

PERSON = "Võ Thị Mai"
COUNCIL = [CouncilSeat("Trần Văn Thủ Trưởng", "chair"), CouncilSeat("Nguyễn Thị Hà", "holder")]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    opened, _ = new_app(tmp_path / "v")
    yield opened
    assert opened.audit.verify().ok
    opened.close()


def register(app: App, copies: int = 3, symbol: str = "12/KH-STP") -> list[int]:
    item = app.items.register(
        Registration(Direction.OUTGOING, Level.MAT, symbol, date(2026, 11, 2), copies)
    )
    return [c.id for c in app.items.show(item.id).copies]


def state(app: App, copy_id: int) -> CopyState:
    copy = items.get_copy(app.vault.connection, copy_id)
    assert copy is not None
    return copy.state


def events(app: App, action: str) -> list[dict[str, object]]:
    return [e.detail for e in app.audit.events(limit=500, action_prefix=action)]


def test_a_partial_return_leaves_the_issue_open_and_the_rest_held(app: App) -> None:
    # review p5: returning one copy of three closed the whole issue, with no audit event
    a, b, c = register(app)
    issue = app.handovers.create("issue", [a, b, c], recipient_person=PERSON)
    app.handovers.create("return", [a], recipient_person=PERSON)
    still = app.handovers.find(issue.year, issue.number)
    assert (still.status, still.receipt_by, still.receipt_at) == ("open", None, None)
    assert events(app, "handover.closed_by_return") == []
    assert [o.handover.id for o in app.handovers.overdue(date(2026, 12, 1))] == [issue.id]
    # the copies still with the person are on an open handover: not dispatched from there
    with pytest.raises(CustodyRefused):
        app.handovers.create("dispatch", [b], recipient_body="Bộ Công an")
    assert state(app, b) is CopyState.ISSUED
    # the copy that came back is free again, although the issue is still open
    app.handovers.create("issue", [a], recipient_person="Trần Thị Lan")
    app.handovers.create("return", [a], recipient_person="Trần Thị Lan")
    assert app.handovers.find(issue.year, issue.number).status == "open"


def test_the_issue_closes_when_the_last_copy_comes_back(app: App) -> None:
    a, b, c = register(app)
    issue = app.handovers.create("issue", [a, b, c], recipient_person=PERSON)
    app.handovers.create("return", [a], recipient_person=PERSON)
    last = app.handovers.create("return", [b, c], recipient_person=PERSON)
    closed = app.handovers.find(issue.year, issue.number)
    assert closed.status == "closed"
    assert (closed.receipt_by, closed.receipt_at) == (None, None)  # nobody signed a receipt
    [event] = events(app, "handover.closed_by_return")
    assert event["number"] == issue.label and event["by_handover"] == last.label
    assert event["before"] == {"status": "open"} and event["after"] == {"status": "closed"}
    # closed in the same transaction as the return, right after it in the log
    tail = [e.action for e in app.audit.events(limit=500, action_prefix="handover.")][-2:]
    assert tail == ["handover.created", "handover.closed_by_return"]
    assert [state(app, x) for x in (a, b, c)] == [CopyState.IN_STORAGE] * 3
    app.handovers.create("dispatch", [b], recipient_body="Bộ Công an")  # free again


def test_a_signed_receipt_still_closes_a_partly_returned_issue(app: App) -> None:
    a, b = register(app, copies=2)
    issue = app.handovers.create("issue", [a, b], recipient_person=PERSON)
    app.handovers.create("return", [a], recipient_person=PERSON)
    received = app.handovers.receipt(issue.year, issue.number, PERSON, app.ctx.clock.now())
    assert received.status == "closed" and received.receipt_by == PERSON
    # after the receipt, the copy still with the person may be sent on (as before)
    app.handovers.create("dispatch", [b], recipient_body="Bộ Công an")


def test_emergency_destruction_closes_an_issue_with_nothing_left_out(app: App) -> None:
    # review p6: an emergency destruction left the issue open for ever
    a, b = register(app, copies=2)
    issue = app.handovers.create("issue", [a, b], recipient_person=PERSON)
    first = app.destruction.emergency([a], "Cháy văn phòng, người giữ tiêu hủy ngay")
    assert app.handovers.find(issue.year, issue.number).status == "open"  # b is still out
    assert events(app, "handover.closed_by_destruction") == []
    second = app.destruction.emergency([b], "Cháy lan sang phòng bên, tiêu hủy tiếp")
    closed = app.handovers.find(issue.year, issue.number)
    assert closed.status == "closed" and closed.receipt_by is None
    [event] = events(app, "handover.closed_by_destruction")
    assert event["number"] == issue.label and event["by_case"] == second.label
    assert first.label != second.label
    assert state(app, a) is CopyState.DESTROYED and state(app, b) is CopyState.DESTROYED
    assert app.handovers.overdue(date(2027, 1, 1)) == []


def test_emergency_after_a_partial_return_closes_the_issue(app: App) -> None:
    a, b = register(app, copies=2)
    issue = app.handovers.create("issue", [a, b], recipient_person=PERSON)
    app.handovers.create("return", [a], recipient_person=PERSON)
    app.destruction.emergency([b], "Bị tấn công, tiêu hủy ngay")
    assert app.handovers.find(issue.year, issue.number).status == "closed"
    assert [e["number"] for e in events(app, "handover.closed_by_destruction")] == [issue.label]
    assert state(app, a) is CopyState.IN_STORAGE


def test_a_returned_copy_may_be_destroyed_while_the_issue_is_still_open(app: App) -> None:
    a, b = register(app, copies=2)
    issue = app.handovers.create("issue", [a, b], recipient_person=PERSON)
    app.handovers.create("return", [a], recipient_person=PERSON)
    case = app.destruction.propose([a], "Hết giá trị", COUNCIL)
    assert case.status == "proposed"
    assert app.handovers.find(issue.year, issue.number).status == "open"
