"""The demo vault: a year of realistic, rule-abiding work, the same every time."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.domain.levels import Level
from secretdesk.services.demo import populate
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
        summary = populate(app, start, days=50)
        assert summary.items > 20 and summary.first_day == date(2026, 2, 2)
        assert app.audit.verify().ok
        made.append(content(app))
        app.close()
    assert made[0] == made[1]


def test_demo_command_creates_a_year_of_work_that_keeps_the_rules(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    result = run_cli("--json", "demo", "--to", str(target))
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["audit_ok"] and payload["items"] >= 200
    assert payload["passphrase"] == app_module.DEMO_PASSPHRASE
    names = {u["username"] for u in payload["users"]}
    assert names == {app_module.DEMO_USER, *(u.username for u in USERS)}

    with app_module.unlock(target, "kiemtra", app_module.DEMO_PASSPHRASE) as auditor:
        assert auditor.audit.verify().ok
        conn = auditor.vault.connection
        today = date.today()
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
        assert today - timedelta(days=370) <= min(dated) and max(dated) < today
        last_year = auditor.registry.books(year=today.year - 1)
        if today > date(today.year, 1, 12):
            assert last_year and all(b.locked for b in last_year)
