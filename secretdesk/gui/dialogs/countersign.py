"""Countersignature at the clerk's desk: the approver picks their name and types their passphrase.

A wrong passphrase counts toward that approver's lockout and is recorded (UserService.countersign);
the person who unlocked the vault is never offered as the approver of their own work, and the
dialog shows exactly what is being approved before anything is signed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from secretdesk.domain.roles import Actor, Permission
from secretdesk.gui.session import Session
from secretdesk.gui.style import mark
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.common import card, label
from secretdesk.gui.write import FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _

APPROVE_TITLE = N_("Approve with a countersignature")
REFUSE_TITLE = N_("Refuse with a countersignature")
INTRO = N_(
    "The approver signs here, at this desk, with their own passphrase. Five wrong passphrases "
    "lock the approver's account for a while, and every attempt is recorded."
)
NO_APPROVER = N_("No other user may approve this. Ask the administrator to add an approver.")
CHOOSE_APPROVER = N_("Choose the approver.")
TYPE_PASSPHRASE = N_("The approver types their passphrase.")
APPROVED_WHAT = N_("What is approved")
REFUSED_WHAT = N_("What is refused")

Fact = tuple[str, str]  # (caption, value) shown in the "what is approved" panel


class CountersignDialog(FormDialog):
    refusal_fields: ClassVar[dict[str, str]] = {
        "vault.wrong_passphrase": "passphrase",
        "vault.locked_out": "passphrase",
        "vault.user_disabled": "approver",
        "auth.approval_refused": "approver",
        "auth.not_permitted": "approver",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        facts: Sequence[Fact],
        action: Callable[[Actor], Any],
        touches: tuple[str, ...],
        *,
        refuse: bool = False,
        wording: tuple[str, str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        # wording: (title, OK button, caption of the panel) of another countersigned act
        title, ok_text, what = wording or (
            _(REFUSE_TITLE if refuse else APPROVE_TITLE),
            _("Refuse") if refuse else _("Approve"),
            _(REFUSED_WHAT if refuse else APPROVED_WHAT),
        )
        super().__init__(
            runner,
            session,
            events,
            title,
            intro=_(INTRO),
            ok_text=ok_text,
            parent=parent,
        )
        self.touched = touches
        self.setMinimumWidth(680)
        self._action = action
        panel, panel_layout = card(label(what, "section"))
        facts_form = QFormLayout()
        self.facts: dict[str, str] = {}
        for caption, value in facts:
            facts_form.addRow(caption, label(value, selectable=True, wrap=False))
            self.facts[caption] = value
        panel_layout.addLayout(facts_form)
        self.top.addWidget(panel)
        self.approver = QComboBox()
        self.add_field("approver", _("Approver:"), self.approver)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.returnPressed.connect(self.submit)
        self.add_field("passphrase", _("Their passphrase:"), self.passphrase)
        self.ok_button.setEnabled(False)
        users = self.app.users
        runner.submit(users.list, self._show_approvers, self._failed, context=self)

    def _show_approvers(self, actors: list[Actor]) -> None:
        me = self.app.actor.username
        for actor in actors:
            if actor.username != me and actor.can(Permission.APPROVE):
                self.approver.addItem(f"{actor.full_name or actor.username} ({actor.username})")
                self.approver.setItemData(self.approver.count() - 1, actor.username)
        if self.approver.count():
            self.ok_button.setEnabled(True)
            self.passphrase.setFocus()
        else:
            self.show_refusal("approver", _(NO_APPROVER))
            self.ok_button.setEnabled(False)
        mark(self.approver, "")

    def choose(self, username: str) -> None:
        index = self.approver.findData(username)
        if index >= 0:
            self.approver.setCurrentIndex(index)

    def work(self) -> Callable[[], Any]:
        username = self.approver.currentData()
        if not username:
            raise FieldProblem("approver", _(CHOOSE_APPROVER))
        passphrase = self.passphrase.text()
        if not passphrase:
            raise FieldProblem("passphrase", _(TYPE_PASSPHRASE))
        users, action = self.app.users, self._action

        def run() -> Any:
            return action(users.countersign(username, passphrase))

        return run

    def _failed(self, error: BaseException) -> None:
        self.passphrase.clear()
        super()._failed(error)
