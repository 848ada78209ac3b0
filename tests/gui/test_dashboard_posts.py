"""The dashboard says, in the clerk's language, that approvals are not yet checked against
the posts of the rules in force until the unit gives one (issue 14); the line goes away
once a post is given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from secretdesk import i18n
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.dashboard_page import DashboardPage
from tests.gui.day_fixtures import call


def shown_gap(qtbot: Any, runner: TaskRunner, session: Any) -> DashboardPage:
    page = DashboardPage(runner, session)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.exported, timeout=5000):
        page.refresh_counts()
    qtbot.waitUntil(lambda: page.posts_warning.text() != "", timeout=5000)
    return page


def test_the_dashboard_warns_until_a_post_is_given(
    qtbot: Any, runner: TaskRunner, vault: tuple[Path, str], open_session: Any
) -> None:
    i18n.set_language("vi")
    try:
        session = open_session(vault[0])
        page = shown_gap(qtbot, runner, session)
        text = page.posts_warning.text()
        assert not page.posts_warning.isHidden(), text
        assert text.startswith("⚠ Luật Bảo vệ bí mật nhà nước 2025 gắn thẩm quyền duyệt"), text
        assert "secretdesk approver set USER POST" in text
        assert page.posts_warning.property("role") == "alert"
        app = session.app

        def give_a_post() -> None:
            app.users.add("so", Role.APPROVER, "mật khẩu người duyệt", max_level=Level.TOI_MAT)
            app.approvers.assign("so", "so-ban-nganh")

        call(qtbot, runner, give_a_post)
        page.refresh_counts()
        qtbot.waitUntil(lambda: page.posts_warning.isHidden(), timeout=5000)
        assert page.posts_warning.text() == ""
    finally:
        i18n.set_language("en")
