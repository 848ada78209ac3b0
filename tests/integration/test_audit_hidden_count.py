"""`audit list` says how many events clearance left out of the whole filtered log, not of
the page it fetched (issue 12, clearance)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from secretdesk import app as app_module
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.audit import _concerns
from secretdesk.storage import audit
from tests.helpers import fixed_clock, new_app, run_cli

CLERK_PASS = "clerk passphrase long"
TOP_ITEMS = 12


def _vault(tmp_path: Path) -> Path:
    app, _ = new_app(tmp_path / "v")
    with app:
        for n in range(TOP_ITEMS):
            top = Registration(
                Direction.OUTGOING, Level.TUYET_MAT, f"{n + 1}/KH-TUYETMAT", date(2026, 10, 1), 1
            )
            registered = app.items.register(top)
        first_copy = app.items.show(registered.id).copies[0].id
        app.handovers.create("issue", [first_copy], recipient_person="Nguyễn Tuyệt")
        low = Registration(Direction.OUTGOING, Level.MAT, "1/KH-MAT", date(2026, 10, 1), 1)
        app.items.register(low)
        app.users.add("canbo", Role.CLERK, CLERK_PASS, clearance=Level.MAT)
    return tmp_path / "v"


def _hidden_in_whole_log(data_dir: Path) -> int:
    """Counted one event at a time, the way the service judged each event before."""
    with app_module.unlock(data_dir, "canbo", CLERK_PASS, fixed_clock()) as clerk:
        conn = clerk.vault.connection
        hidden = {level.value for level in clerk.actor.hidden_levels()}
        return sum(
            1
            for event in audit.iter_all(conn)
            if event.actor != "canbo" and _concerns(conn, event, hidden)
        )


def test_the_left_out_count_covers_the_whole_log_not_the_page(tmp_path: Path) -> None:
    data_dir = _vault(tmp_path)
    expected = _hidden_in_whole_log(data_dir)
    assert expected > 5 * 2  # more hidden events than two pages

    base = ("--data-dir", str(data_dir), "--user", "canbo", "--lang", "en")
    result = run_cli(
        *base, "audit", "list", "--limit", "5", env={"SECRETDESK_PASSPHRASE": CLERK_PASS}
    )
    assert result.returncode == 0, result.stderr
    assert f"Records above your clearance left out: {expected}." in result.stdout
    assert "KH-TUYETMAT" not in result.stdout and "tuyet-mat" not in result.stdout
    # The page is full: five events the clerk may see, not five minus the hidden ones.
    assert len(re.findall(r"^\s*\d+\s", result.stdout, flags=re.MULTILINE)) == 5


def test_the_count_follows_the_action_filter_and_the_service_page(tmp_path: Path) -> None:
    data_dir = _vault(tmp_path)
    with app_module.unlock(data_dir, "canbo", CLERK_PASS, fixed_clock()) as clerk:
        shown, hidden = clerk.audit.visible_events(limit=3)
        assert len(shown) == 3 and hidden == _hidden_in_whole_log_open(clerk)
        items_only, hidden_items = clerk.audit.visible_events(limit=2, action_prefix="item.")
        assert all(e.action.startswith("item.") for e in items_only)
        assert hidden_items == _hidden_in_whole_log_open(clerk, "item.") < hidden
        none_hidden, zero = clerk.audit.visible_events(limit=3, action_prefix="user.")
        assert zero == 0 and none_hidden


def _hidden_in_whole_log_open(clerk: app_module.App, prefix: str = "") -> int:
    conn = clerk.vault.connection
    hidden = {level.value for level in clerk.actor.hidden_levels()}
    return sum(
        1
        for e in audit.iter_all(conn)
        if e.actor != "canbo" and e.action.startswith(prefix) and _concerns(conn, e, hidden)
    )
