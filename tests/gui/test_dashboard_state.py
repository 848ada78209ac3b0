"""The dashboard's last export (date, kind, period, confirmed or not) and air-gap lines, on a
real vault with a real export written to a folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from secretdesk import i18n
from secretdesk.domain import dates
from secretdesk.domain.roles import Permission
from secretdesk.gui.network_watch import NetworkWatch
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.dashboard_page import DashboardPage
from secretdesk.storage import office
from secretdesk.system.airgap import INTERFACE_UP, Finding
from tests.gui import register_data
from tests.helpers import fixed_clock, new_app


class FakeCheck:
    def __init__(self) -> None:
        self.found: list[Finding] = []

    def __call__(self) -> list[Finding]:
        return self.found


def make_page(qtbot: Any, runner: TaskRunner, session: Any, watch: Any) -> DashboardPage:
    page = DashboardPage(runner, session, watch=watch)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    with qtbot.waitSignal(page.exported, timeout=5000) as shown:
        page.refresh_counts()
    page.shown_export = shown.args[0]  # type: ignore[attr-defined]
    return page


def day_of(page: DashboardPage) -> str:
    """The day the export started, as the clerk's computer shows it."""
    return dates.local_day(page.shown_export.started_at)  # type: ignore[attr-defined]


def test_no_export_yet_and_the_air_gap_lines_follow_the_watch(
    qtbot: Any, runner: TaskRunner, vault: tuple[Path, str], open_session: Any
) -> None:
    check = FakeCheck()
    watch = NetworkWatch(None, check, 60_000)
    watch.check_now()
    page = make_page(qtbot, runner, open_session(vault[0]), watch)
    assert page.last_export.text() == "No export yet."
    assert page.air_gap.text() == "✓ No network connection seen: this computer is air-gapped."
    assert page.air_gap.property("role") == "ok"

    check.found = [Finding("interface", "wlan0", INTERFACE_UP)]
    watch.check_now()  # the watch tells the page at once
    assert page.air_gap.text().splitlines() == [
        "✗ Not air-gapped:",
        "Network interface wlan0 is up and connected.",
    ]
    assert page.air_gap.property("role") == "bad"


def test_the_last_export_names_kind_period_date_and_whether_it_was_confirmed(
    qtbot: Any, runner: TaskRunner, tmp_path: Path, open_session: Any
) -> None:
    data_dir = tmp_path / "unit"
    app, _code = new_app(data_dir, fixed_clock(2026, 10, 30))
    stick = tmp_path / "stick"
    stick.mkdir()
    app.exports.export("audit", "2026", stick, explicitly_chosen_folder=True)
    app.close()
    session = open_session(data_dir)
    page = make_page(qtbot, runner, session, None)
    assert page.shown_export.started_at.startswith("2026-10-30")  # type: ignore[attr-defined]
    assert page.last_export.text() == (
        f"No. 1: the audit log for 2026, {day_of(page)}. Written and confirmed."
    )
    assert page.last_export.property("role") == "ok"
    assert not page.air_gap.isVisible()  # no watch: no line rather than a guess

    # the program stopped between reserving number 2 and writing it: not confirmed
    def stop_after_reserving() -> None:
        with session.app.ctx.change(Permission.READ) as change:
            office.set_last_export_seq(change.conn, 2)
            change.audit(
                "export.started", "export", 2, seq=2, kind="inventory", period="2026-11-01"
            )

    done: list[object] = []
    runner.submit(stop_after_reserving, done.append, done.append)  # on the vault's thread
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    i18n.set_language("vi")
    page = make_page(qtbot, runner, session, None)
    assert page.last_export.text().startswith(f"Số 2: bảng kiểm kê kỳ 2026-11-01, {day_of(page)}. ")
    assert "Chưa xác nhận" in page.last_export.text()
    assert page.last_export.property("role") == "alert"
    assert page.shown_export.started_at.startswith(  # type: ignore[attr-defined]
        date(*register_data.VIEWED).isoformat()  # the session's clock
    )
