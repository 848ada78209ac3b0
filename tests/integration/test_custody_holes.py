"""Custody holes closed by issue 17: copies awaiting destruction, the summary trigger, the
sender on slips, minutes by register number, the newest items first."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.cli.main import main
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.errors import InvalidRequest
from secretdesk.storage.migrations import LATEST_VERSION
from secretdesk.storage.sqlite import IntegrityError
from tests import approver_vault
from tests.approver_vault import COUNCIL, HEAD_PASS, vault_with_head
from tests.helpers import PASSPHRASE, UNIT, new_app

TODAY = date(2026, 10, 1)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from vault_with_head(tmp_path)


def copies_of(app: App, count: int = 3) -> list[int]:
    return approver_vault.copies_of(app, count)


def test_a_copy_in_an_approved_destruction_case_stays_until_the_case_ends(app: App) -> None:
    first, second, third = copies_of(app)
    case = app.destruction.propose([first, second], "Hết giá trị", COUNCIL)
    app.destruction.approve(case.id, app.users.countersign("head", HEAD_PASS), "QĐ 1")
    with pytest.raises(InvalidRequest, match="approved: it cannot leave storage") as error:
        app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")
    vi = error.value.render("vi")
    assert "Bản số 1" in vi and "7/QĐ-UBND" in vi and "1/2026" in vi
    with pytest.raises(InvalidRequest, match="destruction case 1/2026"):
        app.handovers.create("issue", [second], recipient_person="Nguyễn Văn A")
    with pytest.raises(InvalidRequest, match="destruction case 1/2026"):
        app.permits.request(
            "provision",
            [second],
            requester="Lê C",
            purpose="Thanh tra",
            requesting_body="Thanh tra tỉnh",
            commitment="Bảo vệ theo quy định",
        )
    assert app.handovers.create("issue", [third], recipient_person="Nguyễn Văn A")  # not listed
    # the case can be carried out: nothing left storage meanwhile
    done = app.destruction.record(case.id, at=app.ctx.clock.now(), place="Kho", method="Đốt")
    assert done.status == "done"


def test_a_copy_in_a_case_only_proposed_may_still_leave(app: App) -> None:
    first, _, _ = copies_of(app)
    app.destruction.propose([first], "Hết giá trị", COUNCIL)
    assert app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ").status == "open"


def test_the_summary_trigger_follows_the_books_legal_basis_not_the_rows_claim(app: App) -> None:
    assert LATEST_VERSION >= 4  # schema 4 made the trigger follow the book
    copies_of(app, 1)  # opens the 2026 incoming book (basis 2026: never a Tuyệt mật summary)
    with (
        pytest.raises(IntegrityError, match="tuyet-mat summary"),
        app.vault.transaction() as tx,
    ):
        book = tx.execute("SELECT id, legal_basis FROM book WHERE kind = 'incoming'").fetchone()
        assert book[1] == "2026"
        entry = tx.execute(
            "INSERT INTO entry (book_id, kind, year, number, created_at, created_by)"
            " VALUES (?, 'incoming', 2026, 2, 'now', 'sql')",
            (book[0],),
        ).lastrowid
        tx.execute(  # the row claims the 2020 basis (summary allowed with consent)
            "INSERT INTO item (entry_id, direction, number_symbol, doc_date, summary,"
            " summary_consent, level, classified_on, origin, copies_issued, legal_basis,"
            " created_at) VALUES (?, 'incoming', '8-TB/TU', '2026-01-01', 'lộ', 1,"
            " 'tuyet-mat', '2026-01-01', 'received', 1, '2020', 'now')",
            (entry,),
        )
    plain = app.items.register(
        Registration(
            Direction.INCOMING, Level.MAT, "9/CAT", date(2026, 10, 1), 1, summary="Hướng dẫn"
        )
    )
    with pytest.raises(IntegrityError, match="tuyet-mat summary"):
        app.vault.connection.execute(
            "UPDATE item SET level = 'tuyet-mat', legal_basis = '2020', summary_consent = 1"
            " WHERE id = ?",
            (plain.id,),
        )


def test_the_slip_names_the_unit_as_sender_not_the_clerk(app: App) -> None:
    first, _, _ = copies_of(app)
    sent = app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")
    assert sent.sender == UNIT.name
    assert app.printing._slip_data(sent).sender == "Sở Tư pháp tỉnh Quảng Ngãi"


def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data: Path, *args: str
) -> str:
    monkeypatch.setenv("SECRETDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SECRETDESK_INSECURE_FAST_KDF", "1")
    monkeypatch.setenv("SECRETDESK_LOG_DIR", str(data.parent / "log"))
    code = main(["--lang", "en", "--data-dir", str(data), "--user", "admin", *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_report_minutes_takes_the_register_number_and_item_list_shows_the_newest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    opened, _ = new_app(tmp_path / "v")
    opened.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
    for number, book in enumerate((Direction.OUTGOING, Direction.INCOMING, Direction.OUTGOING)):
        opened.items.register(Registration(book, Level.MAT, f"{number + 1}/X", TODAY, 1))
    first = opened.items.show(1).copies[0].id
    case = opened.destruction.propose([first], "Hết giá trị", COUNCIL)
    opened.destruction.approve(case.id, opened.users.countersign("head", HEAD_PASS), "QĐ 2")
    opened.destruction.record(case.id, at=opened.ctx.clock.now(), place="Kho", method="Đốt")
    opened.close()

    out = tmp_path / "minutes.pdf"
    cli(monkeypatch, capsys, tmp_path / "v", "report", "minutes", "1/2026", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    newest = json.loads(
        cli(monkeypatch, capsys, tmp_path / "v", "--json", "item", "list", "--limit", "2")
    )
    assert [i["number_symbol"] for i in newest] == ["3/X", "2/X"]
