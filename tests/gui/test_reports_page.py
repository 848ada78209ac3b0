"""The Reports page on a real vault: each printout opens in the print preview with the bytes the
PrintService renders; a field that cannot be read is refused next to it, a refusal of the
service (no such case) is shown in the preview."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.gui.dialogs.print_preview import PrintPreview
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views import reports_page
from secretdesk.gui.views.reports_page import ReportsPage
from secretdesk.gui.write import VaultEvents
from tests.gui.day_fixtures import day_session, day_vault
from tests.gui.test_dialogs import register

__all__ = ["day_session", "day_vault"]  # fixtures used by name


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def make_page(qtbot: Any, runner: TaskRunner, session: Session) -> tuple[ReportsPage, list[Any]]:
    previews: list[PrintPreview] = []

    def open_preview(title: str, render: Callable[[], bytes], suggested: str) -> None:
        preview = PrintPreview(runner, title, render, suggested)
        qtbot.addWidget(preview)
        previews.append(preview)

    page = ReportsPage(runner, session, VaultEvents(), open_preview)
    qtbot.addWidget(page)
    page.show()
    return page, previews


def test_every_document_is_listed_and_a_register_book_previews(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    register(qtbot, runner, session)
    page, previews = make_page(qtbot, runner, session)
    assert page.documents.count() == len(reports_page.DOCUMENTS)
    assert page.documents.item(0).text() == "Sổ đăng ký"
    with qtbot.waitSignal(page.loaded, timeout=5000) as loaded:
        page.refresh()
    assert loaded.args == [1]
    assert page.book.currentText() == "Văn bản đến 2026, quyển 1"
    printout = page.preview()
    assert printout is not None and printout.suggested == "register-incoming-2026-1.pdf"
    (preview,) = previews
    qtbot.waitUntil(lambda: preview.ready, timeout=10000)
    assert preview.pdf_bytes.startswith(b"%PDF") and preview.document.pageCount() >= 1
    assert preview.error.isHidden()


@pytest.mark.parametrize("key", ["statistics", "annual", "inventory"])
def test_year_and_day_printouts_preview(
    qtbot: Any, runner: TaskRunner, day_session: Any, key: str
) -> None:
    session = day_session()
    register(qtbot, runner, session)
    page, previews = make_page(qtbot, runner, session)
    page.choose(key)
    page.situation.setPlainText("Tình hình chung ổn định.")
    assert page.preview() is not None
    (preview,) = previews
    qtbot.waitUntil(lambda: preview.ready, timeout=10000)
    assert preview.pdf_bytes.startswith(b"%PDF")


def test_unreadable_fields_are_refused_next_to_them(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    page, previews = make_page(qtbot, runner, session)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    # no register book yet
    with qtbot.waitSignal(page.refused) as refused:
        assert page.preview() is None
    assert refused.args == ["book", "Chưa có sổ đăng ký nào được mở."]
    page.choose("inventory")
    page.inventory_day.setText("31-12-2026")
    assert page.preview() is None
    assert "ngày/tháng/năm" in page.field_errors["inventory_day"].text()
    page.choose("minutes")
    page.case.setText("ba")
    assert page.preview() is None
    assert page.field_errors["case"].text() == "Gõ số và năm theo dạng N/YYYY, ví dụ 3/2026."
    page.case.setText("")
    assert page.preview() is None
    assert page.field_errors["case"].text() == "Không được để trống ô này."
    page.choose("permit")
    page.permit.setText("-4")
    assert page.preview() is None
    assert page.field_errors["permit"].text() == "Gõ một số nguyên, ví dụ 12."
    assert previews == []


def test_a_refusal_of_the_service_shows_in_the_preview(
    qtbot: Any, runner: TaskRunner, day_session: Any
) -> None:
    session = day_session()
    page, previews = make_page(qtbot, runner, session)
    page.choose("minutes")
    page.case.setText("9/2026")
    assert page.preview() is not None
    (preview,) = previews
    qtbot.waitUntil(lambda: not preview.error.isHidden(), timeout=5000)
    assert not preview.ready and not preview.print_button.isEnabled()
    assert "9/2026" in preview.error.text()
