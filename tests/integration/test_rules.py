"""DOMAIN.md §6, one test per rule, through the services against a real vault on disk.

Rule 7 (protection expiry warnings) and the destruction parts of rule 1 are tested with the
classification and destruction services.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.domain.custody import CopyState
from secretdesk.domain.errors import CustodyRefused
from secretdesk.domain.items import Direction, Registration, SummaryForbidden
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, ApprovalRefused, NotPermitted, Role
from secretdesk.services.copies import CopyingRefused
from secretdesk.services.errors import BookLocked, InvalidRequest, NotFound
from secretdesk.storage.sqlite import IntegrityError
from secretdesk.system.clock import FixedClock
from tests.helpers import PASSPHRASE, fixed_clock, new_app

TODAY = date(2026, 11, 2)


def register(
    app: App,
    *,
    level: Level = Level.MAT,
    copies: int = 3,
    direction: Direction = Direction.OUTGOING,
    number_symbol: str = "12/KH-STP",
    doc_date: date | None = None,
    **extra: object,
) -> int:
    reg = Registration(
        direction=direction,
        level=level,
        number_symbol=number_symbol,
        doc_date=doc_date or app.ctx.today(),
        copies=copies,
        **extra,  # type: ignore[arg-type]
    )
    return app.items.register(reg).id


def copy_ids(app: App, item_id: int) -> list[int]:
    return [c.id for c in app.items.show(item_id).copies]


def state(app: App, copy_id: int) -> tuple[CopyState, str]:
    copy = next(
        c
        for item in app.items.search(limit=10_000)
        for c in app.items.show(item.id).copies
        if c.id == copy_id
    )
    return copy.state, copy.holder


def snapshot(app: App) -> tuple[object, ...]:
    conn = app.vault.connection
    return (
        conn.execute("SELECT id, state, holder FROM copy ORDER BY id").fetchall(),
        conn.execute("SELECT kind, year, number, cancelled FROM entry ORDER BY id").fetchall(),
        conn.execute("SELECT id, status, receipt_at FROM handover ORDER BY id").fetchall(),
        conn.execute("SELECT id, status, made_count FROM reproduction ORDER BY id").fetchall(),
        app.audit.head(),
    )


def numbers(app: App, kind: str, year: int) -> list[int]:
    rows = app.vault.connection.execute(
        "SELECT number FROM entry WHERE kind = ? AND year = ? ORDER BY number", (kind, year)
    )
    return [int(r[0]) for r in rows]


def add_approver(app: App, username: str, level: Level) -> Actor:
    """Each approver after the first is countersigned by the first (two-person control)."""
    first = next((u for u in app.users.list() if u.role is Role.APPROVER), None)
    return app.users.add(
        username,
        Role.APPROVER,
        PASSPHRASE,
        full_name=username,
        max_level=level,
        approver=app.users.countersign(first.username, PASSPHRASE) if first else None,
    )


@pytest.fixture
def app(tmp_path: Path) -> App:
    created, _ = new_app(tmp_path / "v")
    return created


def test_rule_1_copies_in_transit_or_delivered_cannot_be_handed_over_or_copied(
    app: App,
) -> None:
    item = register(app, copies=3)
    first, second, _third = copy_ids(app, item)
    dispatch = app.handovers.create("dispatch", [first], recipient_body="UBND tỉnh Quảng Ngãi")
    assert state(app, first) == (CopyState.IN_TRANSIT, "UBND tỉnh Quảng Ngãi")

    before = snapshot(app)
    with pytest.raises(CustodyRefused):  # in transit: not again
        app.handovers.create("dispatch", [first], recipient_body="Công an tỉnh")
    with pytest.raises(CustodyRefused):
        app.handovers.create("issue", [first], recipient_person="Võ Thị Mai")
    with pytest.raises(CustodyRefused):  # a second, good copy does not carry the bad one
        app.handovers.create("issue", [second, first], recipient_person="Võ Thị Mai")
    with pytest.raises(CustodyRefused):
        app.copies.request(first, 1, "sao-y")
    assert snapshot(app) == before

    app.handovers.receipt(dispatch.year, dispatch.number, "Nguyễn Thị Hà", app.ctx.clock.now())
    assert state(app, first)[0] is CopyState.DELIVERED
    before = snapshot(app)
    for attempt in (
        lambda: app.handovers.create("dispatch", [first], recipient_body="Bộ Tư pháp"),
        lambda: app.handovers.create("issue", [first], recipient_person="Võ Thị Mai"),
        lambda: app.handovers.create("recall-return", [first], recipient_body="UBND tỉnh"),
        lambda: app.copies.request(first, 1, "chup"),
    ):
        with pytest.raises(CustodyRefused):
            attempt()
    assert snapshot(app) == before
    # the copy issued to a person is on an open handover: it cannot be dispatched from there
    app.handovers.create("issue", [second], recipient_person="Võ Thị Mai")
    with pytest.raises(CustodyRefused):
        app.handovers.create("dispatch", [second], recipient_body="Bộ Tư pháp")
    assert app.audit.verify().ok


def test_rule_2_no_more_copies_than_authorised_and_no_copying_items_refused(app: App) -> None:
    approver = add_approver(app, "giamdoc", Level.TOI_MAT)
    item = register(app, level=Level.TOI_MAT, copies=1)
    [source] = copy_ids(app, item)
    repro = app.copies.request(source, 3, "sao-y", purpose="Họp giao ban")
    with pytest.raises(InvalidRequest):  # more than requested cannot be authorised
        app.copies.approve(repro.id, approver, 4)
    app.copies.approve(repro.id, approver, 2)
    before = snapshot(app)
    with pytest.raises(CopyingRefused):
        app.copies.record(repro.id, 3, copied_by="Trần Thị Lan", copied_on=TODAY)
    # nothing changed, but the attempt is kept for the annual self-inspection
    assert snapshot(app)[:-1] == before[:-1]
    [attempt] = app.audit.events(limit=1)
    assert attempt.action == "copy.refused_over_authorisation"
    assert attempt.detail == {"made": 3, "authorised": 2}
    made = app.copies.record(repro.id, 2, copied_by="Trần Thị Lan", copied_on=TODAY, spoiled=1)
    assert [c.label for c in made] == ["Bản sao số 1", "Bản sao số 2"]
    with pytest.raises(CopyingRefused):  # recorded once; no second batch on the same request
        app.copies.record(repro.id, 1, copied_by="Trần Thị Lan", copied_on=TODAY)
    # and the database itself refuses more than authorised
    with pytest.raises(IntegrityError), app.vault.transaction() as conn:
        conn.execute("UPDATE reproduction SET made_count = 3 WHERE id = ?", (repro.id,))

    sealed = register(app, number_symbol="13/BC-STP", copies=1, copying_allowed=False)
    [sealed_copy] = copy_ids(app, sealed)
    before = snapshot(app)
    with pytest.raises(CopyingRefused) as refused:
        app.copies.request(sealed_copy, 1, "chup")
    assert "no copying" in refused.value.render("en")
    assert snapshot(app) == before
    assert app.audit.verify().ok


def test_rule_3_approver_authority_covers_the_level_and_nobody_approves_their_own(
    app: App, tmp_path: Path
) -> None:
    deputy = add_approver(app, "phogiamdoc", Level.MAT)
    director = add_approver(app, "giamdoc", Level.TOI_MAT)
    secret = register(app, level=Level.TOI_MAT, copies=1)
    repro = app.copies.request(copy_ids(app, secret)[0], 1, "sao-y")
    before = snapshot(app)
    with pytest.raises(ApprovalRefused) as low:
        app.copies.approve(repro.id, deputy)
    assert "authority does not cover Tối mật" in low.value.render("en")
    with pytest.raises(ApprovalRefused):
        app.copies.refuse(repro.id, deputy)
    assert snapshot(app) == before

    # self-approval (a): the account that recorded the request countersigns it
    recorder = app.users.countersign("admin", PASSPHRASE)
    with pytest.raises(NotPermitted):
        app.copies.approve(repro.id, recorder)
    # (b): an approver account carrying the requester's name is refused by the explicit check
    same_person = dataclasses.replace(director, username=repro.requested_by)
    with pytest.raises(ApprovalRefused) as own:
        app.copies.approve(repro.id, same_person)
    assert "nobody approves their own request" in own.value.render("en")
    with pytest.raises(ApprovalRefused):
        director.require_approval_of(Level.MAT, requested_by="giamdoc")
    # (c): an approver cannot record a request in the first place, so cannot approve one
    app.close()
    as_director = app_module.unlock(tmp_path / "v", "giamdoc", PASSPHRASE, fixed_clock())
    with pytest.raises(NotPermitted):
        as_director.copies.request(copy_ids(as_director, secret)[0], 1, "sao-y")
    assert snapshot(as_director) == before
    as_director.close()

    again = app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock())
    approved = again.copies.approve(repro.id, again.users.countersign("giamdoc", PASSPHRASE))
    assert (approved.status, approved.approved_by) == ("approved", "giamdoc")
    assert again.audit.verify().ok
    again.close()


def test_rule_4_numbers_gap_free_never_reused_immutable_per_register_and_year(
    tmp_path: Path,
) -> None:
    clock = fixed_clock(2026, 12, 30)
    app, _ = new_app(tmp_path / "v", clock)
    for n in range(1, 4):
        register(app, number_symbol=f"{n}/QĐ-STP")
    register(app, direction=Direction.INCOMING, number_symbol="5/UBND-NC")
    assert numbers(app, "outgoing", 2026) == [1, 2, 3]
    assert numbers(app, "incoming", 2026) == [1]  # each register numbers on its own

    cancelled = app.registry.cancel("outgoing", 2026, 2, "Đăng ký nhầm")
    assert (cancelled.number, cancelled.cancelled) == (2, True)
    assert app.items.search("2/QĐ-STP")[0].cancelled
    assert (
        app.items.register(Registration(Direction.OUTGOING, Level.MAT, "2/QĐ-STP", TODAY, 1)).number
        == 4
    )  # the cancelled number is never reused

    conn = app.vault.connection
    for sql in (
        "UPDATE entry SET number = 99 WHERE kind = 'outgoing' AND number = 1",
        "UPDATE entry SET year = 2025 WHERE kind = 'outgoing' AND number = 1",
        "UPDATE entry SET cancelled = 0 WHERE kind = 'outgoing' AND number = 2",
        "DELETE FROM entry WHERE kind = 'outgoing' AND number = 4",
        "DELETE FROM item",
    ):
        with pytest.raises(IntegrityError):
            conn.execute(sql)
    with pytest.raises(IntegrityError), app.vault.transaction() as tx:  # no gap either
        book = tx.execute("SELECT id FROM book WHERE kind = 'outgoing'").fetchone()[0]
        tx.execute(
            "INSERT INTO entry (book_id, kind, year, number, created_at, created_by)"
            " VALUES (?, 'outgoing', 2026, 6, 'now', 'x')",
            (book,),
        )

    volume_2 = app.registry.lock("outgoing", 2026, open_next_volume=True)
    assert volume_2.volume == 2
    continued = app.items.register(
        Registration(Direction.OUTGOING, Level.MAT, "7/QĐ-STP", TODAY, 1)
    )
    assert (continued.number, continued.year) == (5, 2026)  # numbering continues in volume 2

    clock.advance(days=3)  # 2027-01-02
    new_year = app.items.register(
        Registration(Direction.OUTGOING, Level.MAT, "1/QĐ-STP", date(2027, 1, 2), 1)
    )
    assert (new_year.number, new_year.year) == (1, 2027)
    assert numbers(app, "outgoing", 2026) == [1, 2, 3, 4, 5]
    assert numbers(app, "outgoing", 2027) == [1]
    assert [(b.year, b.volume, b.locked) for b in app.registry.books("outgoing")] == [
        (2026, 1, True),
        (2026, 2, False),
        (2027, 1, False),
    ]
    assert app.audit.verify().ok


def test_rule_5_a_handover_carries_only_registered_copies(app: App) -> None:
    item = register(app, copies=2)
    first, second = copy_ids(app, item)
    before = snapshot(app)
    with pytest.raises(NotFound):
        app.handovers.create("dispatch", [first, 987_654], recipient_body="Bộ Tư pháp")
    assert snapshot(app) == before

    withdrawn = register(app, number_symbol="99/BC-STP", copies=1)
    [withdrawn_copy] = copy_ids(app, withdrawn)
    entry = app.items.show(withdrawn).item
    app.registry.cancel("outgoing", entry.year, entry.number, "Văn bản không ban hành")
    before = snapshot(app)
    with pytest.raises(InvalidRequest) as cancelled:
        app.handovers.create("dispatch", [withdrawn_copy], recipient_body="Bộ Tư pháp")
    assert "was cancelled in the register" in cancelled.value.render("en")
    assert snapshot(app) == before

    sent = app.handovers.create("dispatch", [first, second], recipient_body="Bộ Tư pháp")
    assert sent.number == 1  # the refusals consumed no handover number
    assert numbers(app, "handovers", 2026) == [1]


def test_rule_6_named_addressee_envelope_goes_to_that_person_and_stays_unopened(
    app: App,
) -> None:
    item = register(
        app,
        direction=Direction.INCOMING,
        level=Level.TOI_MAT,
        copies=1,
        number_symbol="12-CV/TU",
        named_addressee="Phạm Văn Hùng",
    )
    [envelope] = copy_ids(app, item)
    assert app.items.show(item).item.unopened
    before = snapshot(app)
    with pytest.raises(InvalidRequest) as other:
        app.handovers.create("issue", [envelope], recipient_person="Trần Thị Lan")
    assert "may only be handed to Phạm Văn Hùng" in other.value.render("en")
    with pytest.raises(InvalidRequest):
        app.items.confirm_opened(item, "Trần Thị Lan")
    assert snapshot(app) == before
    assert app.items.show(item).item.unopened

    app.handovers.create("issue", [envelope], recipient_person="pham van hung")
    assert state(app, envelope) == (CopyState.ISSUED, "pham van hung")
    assert app.items.show(item).item.unopened  # handed over is not opened
    opened = app.items.confirm_opened(item, "Phạm Văn Hùng")
    assert not opened.unopened and opened.addressee_opened_at
    with pytest.raises(InvalidRequest):
        app.items.confirm_opened(item, "Phạm Văn Hùng")
    assert app.audit.events(action_prefix="item.opened_by_addressee")[0].detail == {
        "person": "Phạm Văn Hùng"
    }


def test_rule_8_locked_book_refuses_changes_and_corrections_are_new_entries(app: App) -> None:
    wrong = register(app, number_symbol="20/QĐ-STP", level=Level.MAT)
    register(app, number_symbol="21/QĐ-STP")
    # correction while the book is open: the wrong entry is cancelled, a new one registered
    app.registry.cancel("outgoing", 2026, 1, "Ghi sai độ mật; đăng ký lại ở số 3")
    corrected = app.items.register(
        Registration(Direction.OUTGOING, Level.TOI_MAT, "20/QĐ-STP", TODAY, 3)
    )
    assert corrected.number == 3
    old = app.items.show(wrong).item
    assert old.cancelled and old.level is Level.MAT  # kept as it was, shown as cancelled
    assert len(app.items.search("20/QĐ-STP")) == 2

    app.registry.lock("outgoing", 2026)
    before = snapshot(app)
    with pytest.raises(BookLocked):
        register(app, number_symbol="22/QĐ-STP")
    with pytest.raises(BookLocked):
        app.registry.cancel("outgoing", 2026, 2, "Thử hủy trong sổ đã khóa")
    with pytest.raises(BookLocked):
        app.registry.lock("outgoing", 2026)
    assert snapshot(app) == before
    conn = app.vault.connection
    for sql in (
        "UPDATE book SET locked = 0 WHERE kind = 'outgoing'",
        "UPDATE entry SET cancelled = 1, cancel_reason = 'x' WHERE kind = 'outgoing'"
        " AND number = 2",
        "DELETE FROM book",
    ):
        with pytest.raises(IntegrityError):
            conn.execute(sql)
    # other registers are not affected
    assert register(app, direction=Direction.INCOMING, number_symbol="1/UBND") > 0
    assert app.audit.verify().ok


def test_rule_9_tuyet_mat_summary_follows_the_legal_basis_in_force(tmp_path: Path) -> None:
    def secret(summary: str, consent: bool = False) -> Registration:
        return Registration(
            Direction.INCOMING,
            Level.TUYET_MAT,
            "7-TB/TU",
            date(2025, 5, 2),
            1,
            summary=summary,
            summary_consent=consent,
            classifier="Bí thư Tỉnh ủy",
        )

    # 2026 basis: never, consent or not
    now, _ = new_app(tmp_path / "v2026", fixed_clock(2026, 11, 2))
    for consent in (False, True):
        with pytest.raises(SummaryForbidden):
            now.items.register(secret("Phương án bảo vệ mục tiêu", consent))
    allowed = now.items.register(secret(""))
    assert allowed.summary is None and allowed.legal_basis == "2026"
    # 2020 basis (clock in 2025): only with the classifier's consent
    before, _ = new_app(tmp_path / "v2025", FixedClock(datetime(2025, 6, 1, 9, tzinfo=UTC)))
    with pytest.raises(SummaryForbidden) as no_consent:
        before.items.register(secret("Phương án bảo vệ mục tiêu"))
    assert "without the classifier's consent" in no_consent.value.render("en")
    kept = before.items.register(secret("Phương án bảo vệ mục tiêu", consent=True))
    assert kept.summary == "Phương án bảo vệ mục tiêu" and kept.legal_basis == "2020"

    # the database refuses what bypasses the service
    conn = now.vault.connection
    with (
        pytest.raises(IntegrityError, match="tuyet-mat summary"),
        now.vault.transaction() as tx,
    ):
        book = tx.execute("SELECT id FROM book WHERE kind = 'incoming'").fetchone()[0]
        entry = tx.execute(
            "INSERT INTO entry (book_id, kind, year, number, created_at, created_by)"
            " VALUES (?, 'incoming', 2026, 2, 'now', 'sql')",
            (book,),
        ).lastrowid
        tx.execute(
            "INSERT INTO item (entry_id, direction, number_symbol, doc_date, summary,"
            " summary_consent, level, classified_on, origin, copies_issued, legal_basis,"
            " created_at) VALUES (?, 'incoming', '8-TB/TU', '2026-01-01', 'lộ', 1,"
            " 'tuyet-mat', '2026-01-01', 'received', 1, '2026', 'now')",
            (entry,),
        )
    with pytest.raises(IntegrityError, match="tuyet-mat summary"):
        conn.execute(
            "UPDATE item SET summary = 'lộ', summary_consent = 1 WHERE id = ?", (allowed.id,)
        )
    plain = now.items.register(
        Registration(Direction.INCOMING, Level.MAT, "9/CAT", TODAY, 1, summary="Hướng dẫn")
    )
    with pytest.raises(IntegrityError, match="tuyet-mat summary"):
        conn.execute("UPDATE item SET level = 'tuyet-mat' WHERE id = ?", (plain.id,))
    with pytest.raises(IntegrityError, match="tuyet-mat summary"):  # consent withdrawn (2020)
        before.vault.connection.execute(
            "UPDATE item SET summary_consent = 0 WHERE id = ?", (kept.id,)
        )
    assert now.items.show(allowed.id).item.summary is None
    assert now.audit.verify().ok and before.audit.verify().ok
