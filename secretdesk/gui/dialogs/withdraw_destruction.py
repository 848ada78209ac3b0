"""Withdraw a destruction case (rút hồ sơ tiêu hủy): the reason, and the countersignature of
an approver other than the person at the desk (two-person control); the copies are freed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtWidgets import QLineEdit, QWidget

from secretdesk.domain.roles import Actor
from secretdesk.gui.dialogs.countersign import CountersignDialog, Fact
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.write import FieldProblem, VaultEvents
from secretdesk.i18n import N_, _

WITHDRAW_TITLE = N_("Withdraw the destruction case")
WITHDRAW_OK = N_("Withdraw")
WITHDRAWN_WHAT = N_("What is withdrawn")
REASON_NEEDED = N_("Say why the case is withdrawn.")


class WithdrawDestructionDialog(CountersignDialog):
    refusal_fields: ClassVar[dict[str, str]] = {
        **CountersignDialog.refusal_fields,
        "auth.countersignature_required": "approver",
        "Say why destruction case {case} is withdrawn.": "reason",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        facts: Sequence[Fact],
        withdraw: Callable[[Actor, str], Any],
        touches: tuple[str, ...],
        *,
        parent: QWidget | None = None,
    ) -> None:
        self._withdraw = withdraw
        super().__init__(
            runner,
            session,
            events,
            facts,
            lambda _actor: None,
            touches,
            wording=(_(WITHDRAW_TITLE), _(WITHDRAW_OK), _(WITHDRAWN_WHAT)),
            parent=parent,
        )
        self.reason = QLineEdit()
        self.add_field("reason", _("Reason:"), self.reason)

    def work(self) -> Callable[[], Any]:
        reason, withdraw = self.reason.text().strip(), self._withdraw
        if not reason:
            raise FieldProblem("reason", _(REASON_NEEDED))
        self._action = lambda approver: withdraw(approver, reason)
        return super().work()
