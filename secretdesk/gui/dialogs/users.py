"""Users and passphrases (services/users.py), one dialog per use case.

Two-person control: adding or enabling an approver, council member or administrator, raising
a clearance and resetting another user's passphrase need the countersignature of another
approver or administrator. The dialog first asks the service without one; when the service
answers that a countersignature is required (only while nobody else could countersign may the
administrator act alone), the countersignature dialog opens with exactly what is being
approved, and the same call runs again with the approver it returns.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from secretdesk import i18n
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, Role
from secretdesk.gui.dialogs.countersign import CountersignDialog, Fact
from secretdesk.gui.session import MIN_PASSPHRASE_LENGTH, Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.fields import level_combo, required_text
from secretdesk.gui.widgets.passphrase_fields import MISMATCH, RULE, TOO_SHORT
from secretdesk.gui.write import FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _

USER = "user"  # the entity these dialogs touch

COUNTERSIGNATURE = "auth.countersignature_required"
NEW_RECOVERY_CODE = N_(
    "The vault was re-keyed: the old recovery code opens nothing any more. Write down the new "
    "recovery code and keep it in the safe: {code}"
)


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def add_new_passphrase(dialog: FormDialog, caption: str) -> tuple[QLineEdit, QLineEdit]:
    """The fields "passphrase" (named ``caption``, the rule under it) and "repeat"."""
    first = password_field()
    dialog.add_field("passphrase", caption, first, _(RULE).format(minimum=MIN_PASSPHRASE_LENGTH))
    repeat = password_field()
    dialog.add_field("repeat", _("Type it again"), repeat)
    return first, repeat


def new_passphrase(first: QLineEdit, repeat: QLineEdit) -> str:
    if len(first.text().strip()) < MIN_PASSPHRASE_LENGTH:
        raise FieldProblem("passphrase", _(TOO_SHORT).format(minimum=MIN_PASSPHRASE_LENGTH))
    if first.text() != repeat.text():
        raise FieldProblem("repeat", _(MISMATCH))
    return first.text()


class TwoPersonDialog(FormDialog):
    """A user change that may need a countersignature; ``prepare`` reads the fields and
    returns the service call taking the approver (None the first time)."""

    touches: ClassVar[tuple[str, ...]] = (USER,)
    countersign: CountersignDialog | None = None

    def prepare(self) -> Callable[[Actor | None], Any]:
        raise NotImplementedError

    def facts(self) -> Sequence[Fact]:
        raise NotImplementedError

    def work(self) -> Callable[[], Any]:
        self._call = self.prepare()
        call = self._call
        return lambda: call(None)

    def _failed(self, error: BaseException) -> None:
        if getattr(error, "code", "") == COUNTERSIGNATURE:
            self._set_busy(False)
            dialog = CountersignDialog(
                self.runner,
                self.session,
                self.events,
                self.facts(),
                self._call,
                self.touched,
                parent=self,
            )
            dialog.succeeded.connect(self._done)
            self.countersign = dialog
            dialog.open()
            return
        super()._failed(error)


ROLES = (Role.CLERK, Role.APPROVER, Role.COUNCIL, Role.AUDITOR, Role.ADMIN)


class AddUserDialog(TwoPersonDialog):
    refusal_fields: ClassVar[dict[str, str]] = {
        "A user name is 2 to 32 lower-case letters, digits, dots or dashes.": "username",
        "The user {user} already exists.": "username",
        "An approver needs the highest level they may approve.": "max_level",
    }

    def __init__(
        self, runner: Runner, session: Session, events: VaultEvents, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, session, events, _("Add a user"), ok_text=_("Add"), parent=parent)
        self.username = QLineEdit()
        self.username.setPlaceholderText("nguyenvana")
        self.add_field("username", _("User name"), self.username)
        self.full_name = QLineEdit()
        self.add_field("full_name", _("Full name"), self.full_name)
        self.role = QComboBox()
        for role in ROLES:
            self.role.addItem(role.label(i18n.current_language()), role.value)
        self.add_field("role", _("Role"), self.role)
        self.max_level = level_combo()
        self.max_level.insertItem(0, "—", None)
        self.max_level.setCurrentIndex(0)
        self.add_field(
            "max_level",
            _("Highest level they may approve"),
            self.max_level,
            _("Only for an approver."),
        )
        self.clearance = level_combo()
        self.clearance.setCurrentIndex(self.clearance.findData(Level.TUYET_MAT.value))
        self.add_field("clearance", _("Highest level they may see"), self.clearance)
        self.passphrase, self.repeat = add_new_passphrase(self, _("First passphrase"))

    def facts(self) -> Sequence[Fact]:
        return [
            (_("New user"), f"{self.full_name.text().strip()} ({self.username.text().strip()})"),
            (_("Role"), self.role.currentText()),
            (_("Highest level they may see"), self.clearance.currentText()),
        ]

    def prepare(self) -> Callable[[Actor | None], Any]:
        username = required_text(self.username, "username")
        passphrase = new_passphrase(self.passphrase, self.repeat)
        role = Role(self.role.currentData())
        max_level = self.max_level.currentData()
        full_name = self.full_name.text().strip()
        highest = Level(max_level) if max_level else None
        clearance = Level(self.clearance.currentData())
        users = self.app.users

        def call(approver: Actor | None) -> Actor:
            return users.add(
                username,
                role,
                passphrase,
                full_name=full_name,
                max_level=highest,
                clearance=clearance,
                approver=approver,
            )

        return call


class ClearanceDialog(TwoPersonDialog):
    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        user: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _("Change the clearance of {user}").format(user=user.full_name or user.username),
            parent=parent,
        )
        self.user = user
        self.clearance = level_combo()
        self.clearance.setCurrentIndex(self.clearance.findData(user.clearance.value))
        self.add_field("clearance", _("Highest level they may see"), self.clearance)

    def facts(self) -> Sequence[Fact]:
        return [
            (_("User"), f"{self.user.full_name} ({self.user.username})"),
            (_("Highest level they may see"), self.clearance.currentText()),
        ]

    def prepare(self) -> Callable[[Actor | None], Any]:
        users, name = self.app.users, self.user.username
        level = Level(self.clearance.currentData())
        return lambda approver: users.set_clearance(name, level, approver)


class ResetPassphraseDialog(TwoPersonDialog):
    refusal_fields: ClassVar[dict[str, str]] = {
        "Change your own passphrase with passwd.": "passphrase",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        user: Actor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _("Reset the passphrase of {user}").format(user=user.full_name or user.username),
            intro=_("Give the new passphrase to the user in person; they should change it."),
            ok_text=_("Reset"),
            parent=parent,
        )
        self.user = user
        self.passphrase, self.repeat = add_new_passphrase(self, _("New passphrase"))

    def facts(self) -> Sequence[Fact]:
        return [(_("Reset the passphrase of"), f"{self.user.full_name} ({self.user.username})")]

    def prepare(self) -> Callable[[Actor | None], Any]:
        users, name = self.app.users, self.user.username
        passphrase = new_passphrase(self.passphrase, self.repeat)

        def call(approver: Actor | None) -> tuple[None, str | None]:
            # The vault is re-keyed: the new recovery code is shown as after a disable.
            return None, users.reset_passphrase(name, passphrase, approver)

        return call


class DisableUserDialog(TwoPersonDialog):
    """Disable (the vault is re-keyed at once: a new recovery code is shown) or enable."""

    refusal_fields: ClassVar[dict[str, str]] = {}

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        user: Actor,
        parent: QWidget | None = None,
    ) -> None:
        enable = user.disabled
        name = user.full_name or user.username
        super().__init__(
            runner,
            session,
            events,
            (_("Enable {user}") if enable else _("Disable {user}")).format(user=name),
            intro=""
            if enable
            else _(
                "A disabled user can no longer unlock the vault. The vault is re-keyed at once "
                "and a new recovery code is shown: the old one opens nothing any more."
            ),
            ok_text=_("Enable") if enable else _("Disable"),
            parent=parent,
        )
        self.user = user

    def facts(self) -> Sequence[Fact]:
        return [(_("Enable"), f"{self.user.full_name} ({self.user.username})")]

    def prepare(self) -> Callable[[Actor | None], Any]:
        users, name, disable = self.app.users, self.user.username, not self.user.disabled

        def call(approver: Actor | None) -> tuple[Actor, str | None]:
            changed = users.set_disabled(name, disable, approver=approver)
            return changed, getattr(users, "last_recovery_code", None)

        return call


class ChangePassphraseDialog(FormDialog):
    touches: ClassVar[tuple[str, ...]] = (USER,)
    refusal_fields: ClassVar[dict[str, str]] = {
        "vault.wrong_passphrase": "old",
        "vault.locked_out": "old",
    }

    def __init__(
        self, runner: Runner, session: Session, events: VaultEvents, parent: QWidget | None = None
    ) -> None:
        super().__init__(runner, session, events, _("Change my passphrase"), parent=parent)
        self.old = password_field()
        self.add_field("old", _("Current passphrase"), self.old)
        self.passphrase, self.repeat = add_new_passphrase(self, _("New passphrase"))

    def work(self) -> Callable[[], Any]:
        old = self.old.text()
        if not old:
            raise FieldProblem("old", _("Type your current passphrase."))
        new = new_passphrase(self.passphrase, self.repeat)
        users = self.app.users
        return lambda: users.change_own_passphrase(old, new)

    def _failed(self, error: BaseException) -> None:
        self.old.clear()
        super()._failed(error)
