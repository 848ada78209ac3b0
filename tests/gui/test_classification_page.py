"""The classification page on a real vault (fixed clock 02/11/2026): the expiring list soonest
first; extend, change level and declassify with refusals next to their field and nothing
changed; a council declassification countersigned; the expired ones in bulk after a preview."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.domain.custody import CopyState
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.gui.dialogs.classification import (
    ChangeLevelDialog,
    DeclassifyDialog,
    DeclassifyExpiredDialog,
    ExtendDialog,
)
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.classification_page import ClassificationPage
from secretdesk.gui.write import VaultEvents
from tests.gui.day_fixtures import (
    APPROVER,
    APPROVER_PASSPHRASE,
    call,
    day_session,
    day_vault,
    refuse,
    submit,
)

__all__ = ["day_session", "day_vault"]  # fixtures used by name


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def register(
    qtbot: Any, runner: TaskRunner, session: Session, symbol: str, classified: date
) -> Any:
    items = session.app.items
    registration = Registration(
        direction=Direction.INCOMING,
        level=Level.MAT,
        number_symbol=symbol,
        doc_date=classified,
        classified_on=classified,
        copies=2,
    )
    return call(qtbot, runner, lambda: items.register(registration))


@pytest.fixture
def setup(qtbot: Any, runner: TaskRunner, day_session: Any) -> tuple[Session, list[Any], Any]:
    session = day_session()
    made = [
        register(qtbot, runner, session, "1/HH", date(2016, 10, 1)),  # ended 01/10/2026
        register(qtbot, runner, session, "2/SH", date(2016, 12, 1)),  # ends in 29 days
        register(qtbot, runner, session, "3/GH", date(2017, 1, 20)),  # window closing
        register(qtbot, runner, session, "4/XA", date(2026, 10, 1)),  # far away
    ]
    page = ClassificationPage(runner, session, VaultEvents())
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    return session, made, page


def symbols(page: ClassificationPage) -> list[str]:
    return [page.model.row_at(r).target.number_symbol for r in range(page.model.rowCount())]


def test_the_expiring_list_and_an_extension(
    qtbot: Any, runner: TaskRunner, setup: tuple[Session, list[Any], Any]
) -> None:
    session, made, page = setup
    assert symbols(page) == ["1/HH", "2/SH", "3/GH"]
    assert page.model.row_at(0).expired and page.model.row_at(2).closing
    assert "3 văn bản, 1 đã hết hạn, 1 sắp hết thời gian gia hạn" in page.status.text()
    page.select_item(made[2].id)
    page.extend_button.click()
    dialog = page.dialog
    assert isinstance(dialog, ExtendDialog)
    qtbot.addWidget(dialog)
    dialog.years.setValue(5)
    assert refuse(qtbot, dialog)[0] == "decided_by"
    dialog.decided_by.setText("Giám đốc Sở")
    dialog.years.setValue(25)  # longer than the base period of Mật
    field, message = refuse(qtbot, dialog)
    assert field == "years" and "gia hạn" in message
    dialog.decided_on.setText("03/11/2026")
    assert refuse(qtbot, dialog)[0] == "decided_on"  # a decision cannot be in the future
    history = session.app.classification
    assert call(qtbot, runner, lambda: history.history(made[2].id)).extensions == ()
    dialog.decided_on.setText("02/11/2026")
    dialog.years.setValue(5)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        extension = submit(qtbot, dialog)
    assert extension.years == 5
    assert symbols(page) == ["1/HH", "2/SH"]


def test_change_level_and_a_council_declassification(
    qtbot: Any, runner: TaskRunner, setup: tuple[Session, list[Any], Any]
) -> None:
    session, made, page = setup
    page.select_item(made[1].id)
    page.change_level()
    dialog = page.dialog
    assert isinstance(dialog, ChangeLevelDialog)
    qtbot.addWidget(dialog)
    dialog.decided_by.setText("Giám đốc Sở")
    field, message = refuse(qtbot, dialog)  # the same level
    assert field == "level" and "Mật" in message
    dialog.level.setCurrentIndex(dialog.level.findData("toi-mat"))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        changed = submit(qtbot, dialog)
    assert changed.new_level == "toi-mat"

    # Any entry is found by its register number, and declassified by a council.
    page.search.setText(f"{made[3].number}/{made[3].year}")
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.run_search()
    assert symbols(page) == ["4/XA"]
    page.select_item(made[3].id)
    page.declassify()
    declassify = page.dialog
    assert isinstance(declassify, DeclassifyDialog)
    qtbot.addWidget(declassify)
    declassify.kind.setCurrentIndex(declassify.kind.findData("council"))
    declassify.partial.setChecked(True)
    assert refuse(qtbot, declassify)[0] == "scope"
    assert declassify.countersign is None  # nothing asked of the approver yet
    declassify.scope.setText("Mục 1 và mục 2")
    declassify.ok_button.click()
    countersign = declassify.countersign
    assert countersign is not None
    qtbot.addWidget(countersign)
    qtbot.waitUntil(lambda: countersign.approver.count() > 0, timeout=5000)
    assert countersign.facts["Phần được giải mật:"] == "Mục 1 và mục 2"
    countersign.choose(APPROVER)
    countersign.passphrase.setText("sai mật khẩu")
    assert refuse(qtbot, countersign)[0] == "passphrase"
    countersign.passphrase.setText(APPROVER_PASSPHRASE)
    with qtbot.waitSignal(declassify.succeeded, timeout=5000):
        countersign.ok_button.click()
    done = declassify.result_value
    assert done.record.partial and done.copies == ()
    items = session.app.items
    copies = call(qtbot, runner, lambda: items.copies(made[3].id))
    assert [c.state for c in copies] == [CopyState.IN_STORAGE, CopyState.IN_STORAGE]


def test_declassify_the_expired_in_bulk_after_a_preview(
    qtbot: Any, runner: TaskRunner, setup: tuple[Session, list[Any], Any]
) -> None:
    session, made, page = setup
    page.declassify_expired()
    dialog = page.dialog
    assert isinstance(dialog, DeclassifyExpiredDialog)
    qtbot.addWidget(dialog)
    shown = [dialog.preview.item(0, c).text() for c in range(4)]  # type: ignore[union-attr]
    assert dialog.preview.rowCount() == 1 and shown[1:] == ["1/HH", "Mật", "01/10/2026"]
    with qtbot.waitSignal(page.loaded, timeout=5000):
        done = submit(qtbot, dialog)
    assert [d.number_symbol for d in done] == ["1/HH"]
    items = session.app.items
    copies = call(qtbot, runner, lambda: items.copies(made[0].id))
    assert {c.state for c in copies} == {CopyState.DECLASSIFIED}
    assert symbols(page) == ["2/SH", "3/GH"]
