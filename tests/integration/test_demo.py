"""The demo vault: a year of realistic, rule-abiding work, the same every time."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk import demo_vault
from secretdesk.app import App
from secretdesk.domain.levels import Level
from secretdesk.services.demo import default_last_day, demo_window, populate
from secretdesk.services.demo_data import USERS
from secretdesk.system.clock import FixedClock
from tests.helpers import new_app, run_cli


def content(app: App) -> list[tuple[object, ...]]:
    conn = app.vault.connection
    return [
        *conn.execute(
            "SELECT entry.kind, entry.year, entry.number, number_symbol, level, summary"
            " FROM item JOIN entry ON entry.id = item.entry_id ORDER BY item.id"
        ),
        *conn.execute("SELECT id, state, holder FROM copy ORDER BY id"),
        *conn.execute("SELECT action, at_utc FROM audit_event WHERE seq > 2 ORDER BY seq"),
    ]


def test_populate_is_deterministic(tmp_path: Path) -> None:
    made = []
    for name in ("a", "b"):
        start = FixedClock(datetime(2026, 2, 2, 1, 0, tzinfo=UTC))
        app, _ = new_app(tmp_path / name, start)
        summary = populate(app, start, date(2026, 3, 23))
        assert summary.items > 20 and summary.first_day == date(2026, 2, 2)
        assert app.audit.verify().ok
        made.append(content(app))
        app.close()
    assert made[0] == made[1]


@pytest.mark.parametrize(
    ("last", "first"),
    [
        (date(2027, 6, 15), date(2026, 6, 1)),
        (date(2027, 1, 4), date(2025, 12, 1)),  # January: one month more, for a locked book
        (date(2028, 2, 29), date(2027, 2, 1)),
        (date(2027, 12, 31), date(2026, 12, 1)),
    ],
)
def test_demo_window_always_holds_a_january_after_working_days(last: date, first: date) -> None:
    assert demo_window(last) == (first, last)
    locking_days = [
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).month == 1
        and 5 <= (first + timedelta(days=n)).day <= 12
        and (first + timedelta(days=n)).year > first.year
    ]
    assert locking_days


# The demo's promises must hold whatever its last day: a day like any other, a last day in
# the first days of January (the books to lock are two Januaries back), and a leap day.
@pytest.mark.parametrize("until", [date(2026, 12, 6), date(2027, 1, 4), date(2028, 2, 29)])
def test_demo_command_creates_a_year_of_work_that_keeps_the_rules(
    tmp_path: Path, until: date
) -> None:
    target = tmp_path / "demo"
    now = FixedClock(datetime.combine(until + timedelta(days=1), time(9, 0)).astimezone())
    result = run_cli("--json", "demo", "--to", str(target), "--until", until.isoformat(), clock=now)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["audit_ok"] and payload["items"] >= 200
    assert payload["passphrase"] == demo_vault.DEMO_PASSPHRASE
    names = {u["username"] for u in payload["users"]}
    assert names == {demo_vault.DEMO_USER, *(u.username for u in USERS)}

    with app_module.unlock(target, "kiemtra", demo_vault.DEMO_PASSPHRASE, now) as auditor:
        assert auditor.audit.verify().ok
        conn = auditor.vault.connection
        kinds = dict(conn.execute("SELECT direction, count(*) FROM item GROUP BY direction"))
        assert kinds["incoming"] > 100 and kinds["outgoing"] > 50 and kinds["internal"] > 3
        levels = dict(conn.execute("SELECT level, count(*) FROM item GROUP BY level"))
        assert set(levels) == {level.value for level in Level}
        # rule 9: no Tuyệt mật summary under the 2026 basis, none without consent before
        assert conn.execute(
            "SELECT count(*) FROM item WHERE level = 'tuyet-mat' AND summary IS NOT NULL"
            " AND (legal_basis = '2026' OR summary_consent = 0)"
        ).fetchone() == (0,)
        states = dict(conn.execute("SELECT state, count(*) FROM copy GROUP BY state"))
        for state in ("in_storage", "issued", "in_transit", "delivered", "destroyed"):
            assert states.get(state, 0) > 0, state
        assert states.get("returned_to_issuer", 0) > 0  # a recall item went back
        handovers = auditor.handovers.list()
        assert {h.kind for h in handovers} >= {"dispatch", "issue", "return", "recall-return"}
        assert 0 < len(auditor.handovers.overdue()) < 30
        assert len(auditor.copies.pending()) >= 1
        actions = {e.action for e in auditor.audit.events(limit=5000)}
        assert actions >= {
            "copy.approved",
            "copy.refused",
            "copy.recorded",
            "handover.recalled",
            "item.opened_by_addressee",
            "entry.cancelled",
            "book.locked",
            "destruction.recorded",
        }
        dated = [date.fromisoformat(i.doc_date) for i in auditor.items.search(limit=10_000)]
        first, _ = demo_window(until)
        assert first - timedelta(days=5) <= min(dated) and max(dated) <= until
        registered = [e.at_utc for e in auditor.audit.events(limit=100_000)]
        assert max(datetime.fromisoformat(at) for at in registered) < now.now()
        locked = [b for b in auditor.registry.books() if b.locked]
        assert locked and all(b.year < until.year for b in locked)


def test_demo_ends_yesterday_by_default_and_refuses_a_last_day_not_past(
    tmp_path: Path,
) -> None:
    now = FixedClock(datetime(2027, 3, 1, 0, 30, tzinfo=UTC))  # 07:30 on 1 March in Hà Nội
    assert default_last_day(now) == date(2027, 2, 28)
    refused = run_cli(
        "--lang", "en", "demo", "--to", str(tmp_path / "x"), "--until", "2027-03-01", clock=now
    )
    assert refused.returncode == 1 and "must be before today" in refused.stderr
    assert not (tmp_path / "x" / "secretdesk.db").exists()

    with demo_vault.create_demo(tmp_path / "d", now, populated=False) as empty:
        assert len(empty.items.search(limit=10)) == 0
