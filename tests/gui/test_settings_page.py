"""Settings on a real vault: users under two-person control (the countersignature dialog opens
only when the service asks for it), my passphrase, backup to a USB stick (the computer's own
disk refused), idle lock and a language switched live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.domain.roles import Role
from secretdesk.gui.dialogs.countersign import CountersignDialog
from secretdesk.gui.dialogs.users import (
    AddUserDialog,
    ChangePassphraseDialog,
    DisableUserDialog,
    ResetPassphraseDialog,
)
from secretdesk.gui.main_window import MainWindow
from secretdesk.gui.preferences import Preferences
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.settings_page import SettingsPage
from secretdesk.gui.write import VaultEvents
from tests.gui.conftest import unlock
from tests.gui.day_fixtures import (
    APPROVER,
    APPROVER_PASSPHRASE,
    call,
    day_session,
    day_vault,
    refuse,
    submit,
)
from tests.gui.test_export_page import StickExports

__all__ = ["day_session", "day_vault"]  # fixtures used by name

NEW_PASSPHRASE = "một câu mật khẩu mới 2026"


@pytest.fixture(autouse=True)
def vietnamese() -> Any:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def settings_page(
    qtbot: Any, runner: TaskRunner, session: Session, tmp_path: Path
) -> tuple[SettingsPage, Path]:
    stick = tmp_path / "media" / "USB-SAOLUU"
    stick.mkdir(parents=True)
    page = SettingsPage(
        runner,
        session,
        VaultEvents(),
        preferences=Preferences(tmp_path / "gui.ini"),
        exports=StickExports(session, stick),
    )
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    return page, stick


def fill_user(dialog: AddUserDialog, username: str, role: Role) -> None:
    dialog.username.setText(username)
    dialog.full_name.setText("Nguyễn Văn Bình")
    dialog.role.setCurrentIndex(dialog.role.findData(role.value))
    dialog.passphrase.setText(NEW_PASSPHRASE)
    dialog.repeat.setText(NEW_PASSPHRASE)


def usernames(qtbot: Any, runner: TaskRunner, session: Session) -> list[str]:
    return [u.username for u in call(qtbot, runner, session.app.users.list)]


def test_add_users_with_and_without_a_countersignature(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    session = day_session()
    page, _stick = settings_page(qtbot, runner, session, tmp_path)
    assert page.users_model.rowCount() == 4
    before = usernames(qtbot, runner, session)

    page.new_record()
    dialog = page.dialog
    assert isinstance(dialog, AddUserDialog)
    fill_user(dialog, "Nguyen Van Binh", Role.CLERK)
    field, message = refuse(qtbot, dialog)
    assert field == "username" and "chữ thường" in message
    dialog.username.setText("binh")
    dialog.repeat.setText("khác hẳn")
    assert refuse(qtbot, dialog)[0] == "repeat"
    assert usernames(qtbot, runner, session) == before  # nothing changed
    dialog.repeat.setText(NEW_PASSPHRASE)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        added = submit(qtbot, dialog)  # a clerk needs no countersignature
    assert added.username == "binh" and dialog.countersign is None
    assert page.users_model.rowCount() == 5

    # An approver does: the countersignature dialog opens, refuses a wrong passphrase.
    page.new_record()
    dialog = page.dialog
    assert isinstance(dialog, AddUserDialog)
    fill_user(dialog, "pho2", Role.APPROVER)
    dialog.max_level.setCurrentIndex(dialog.max_level.findData("mat"))
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: dialog.countersign is not None, timeout=5000)
    countersign = dialog.countersign
    assert isinstance(countersign, CountersignDialog)
    qtbot.waitUntil(lambda: countersign.approver.count() > 0, timeout=5000)
    assert countersign.facts["Người dùng mới"] == "Nguyễn Văn Bình (pho2)"
    countersign.choose(APPROVER)
    countersign.passphrase.setText("sai mật khẩu")
    assert refuse(qtbot, countersign)[0] == "passphrase"
    assert "pho2" not in usernames(qtbot, runner, session)
    countersign.passphrase.setText(APPROVER_PASSPHRASE)
    with qtbot.waitSignal(dialog.succeeded, timeout=5000):
        countersign.ok_button.click()
    assert "pho2" in usernames(qtbot, runner, session)
    events = call(qtbot, runner, lambda: session.app.audit.events(limit=1, action_prefix="user."))
    assert events[0].action == "user.added"


def test_reset_disable_and_my_passphrase(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    session = day_session()
    page, _stick = settings_page(qtbot, runner, session, tmp_path)
    page.select_user("hoidong")
    page.reset_passphrase()
    reset = page.dialog
    assert isinstance(reset, ResetPassphraseDialog)
    reset.passphrase.setText("ngắn")
    assert refuse(qtbot, reset)[0] == "passphrase"
    reset.passphrase.setText(NEW_PASSPHRASE)
    reset.repeat.setText(NEW_PASSPHRASE)
    reset.ok_button.click()
    qtbot.waitUntil(lambda: reset.countersign is not None, timeout=5000)
    countersign = reset.countersign
    assert countersign is not None
    qtbot.waitUntil(lambda: countersign.approver.count() > 0, timeout=5000)
    countersign.choose(APPROVER)
    countersign.passphrase.setText(APPROVER_PASSPHRASE)
    with qtbot.waitSignal(reset.succeeded, timeout=5000):
        countersign.ok_button.click()

    page.select_user("hoidong")
    page.toggle_selected()
    disable = page.dialog
    assert isinstance(disable, DisableUserDialog)
    with qtbot.waitSignal(page.recovery_code_shown, timeout=15000) as shown:
        submit(qtbot, disable)
    assert len(shown.args[0]) > 10
    assert page.message is not None and shown.args[0] in page.message.text()
    users = call(qtbot, runner, session.app.users.list)
    assert next(u for u in users if u.username == "hoidong").disabled

    page.change_passphrase()
    mine = page.dialog
    assert isinstance(mine, ChangePassphraseDialog)
    mine.old.setText("không phải mật khẩu")
    mine.passphrase.setText(NEW_PASSPHRASE)
    mine.repeat.setText(NEW_PASSPHRASE)
    field, _message = refuse(qtbot, mine)
    assert field == "old" and mine.old.text() == ""


def test_backup_goes_to_a_stick_only(
    qtbot: Any, runner: TaskRunner, day_session: Any, tmp_path: Path
) -> None:
    session = day_session()
    page, stick = settings_page(qtbot, runner, session, tmp_path)
    qtbot.waitUntil(lambda: page.backup_target.text() == str(stick), timeout=5000)
    home = tmp_path / "home"
    home.mkdir()
    page.backup_target.setText(str(home))
    page.backup()
    qtbot.waitUntil(lambda: not page.backup_error.isHidden(), timeout=5000)
    assert "không nằm trên thẻ nhớ USB" in page.backup_error.text()
    assert list(home.iterdir()) == []
    page.backup_target.setText(str(stick))
    with qtbot.waitSignal(page.backed_up, timeout=10000) as done:
        page.backup()
    assert Path(done.args[0]).parent == stick and any(Path(done.args[0]).iterdir())
    assert str(done.args[0]) in page.backup_status.text()


def test_idle_lock_and_language_switch_live(
    qtbot: Any, make_controller: Any, vault: tuple[Path, str], tmp_path: Path
) -> None:
    preferences = Preferences(tmp_path / "prefs.ini")
    controller = make_controller(vault[0], preferences=preferences)
    controller.start()
    main = unlock(qtbot, controller)
    main.show_page("settings")
    settings = main.settings
    settings.idle_minutes.setValue(3)
    settings.language.setCurrentIndex(settings.language.findData("en"))
    settings.apply_preferences()
    assert preferences.idle_lock_minutes == 3 and controller.idle.timeout_ms == 180_000
    assert preferences.language == "en" and i18n.current_language() == "en"
    rebuilt = controller.window
    assert isinstance(rebuilt, MainWindow) and rebuilt is not main
    assert rebuilt.current_page() == "settings"
    assert rebuilt.navigation.item(0).text() == "Dashboard"
