"""Classification decisions on an entry: extend the protection, change the level, declassify
(on removal from the list, or by a council with the approver's countersignature; in full or in
part), and declassify every expired entry at once after a preview of what will change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor
from secretdesk.gui.dialogs.countersign import CountersignDialog
from secretdesk.gui.dialogs.record_form import RecordFormDialog
from secretdesk.gui.models.formats import level_name
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.common import label
from secretdesk.gui.widgets.fields import (
    DayField,
    choice_combo,
    count_spin,
    level_combo,
    required_text,
)
from secretdesk.gui.write import COPY, ENTRY, ITEM, FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _

BEFORE_CLASSIFIED = (
    "Item {item} was classified on {classified}: a decision about it cannot be dated before"
    " that ({date})."
)
CLASSIFICATION = "classification"  # the entity the classification page listens for

EXTEND_TITLE = N_("Extend the protection")
EXTEND_INTRO = N_(
    "An extension is decided at least 60 days before the protection ends, for at most the "
    "level's base period."
)
LEVEL_TITLE = N_("Change the level")
LEVEL_INTRO = N_("Record the classifier's decision; the entry's level changes at once.")
DECLASSIFY_TITLE = N_("Declassify")
DECLASSIFY_INTRO = N_(
    "On removal from the list of state secrets, or by a council with the decision of an "
    "approver who signs here. A partial declassification leaves the copies as they are."
)
EXPIRED_TITLE = N_("Declassify the expired entries")
EXPIRED_INTRO = N_(
    "Every entry below has reached the end of its protection period. Each is declassified on "
    "its expiry date and its copies still held become declassified."
)
NOTHING_EXPIRED = N_("No entry has reached the end of its protection period.")
KIND_LABELS = {
    "list_removal": N_("Removed from the list of state secrets"),
    "council": N_("By a council, with the approver's decision"),
}
ENTRY_FACT = N_("{symbol} (entry {entry}), {level}")


@dataclass(frozen=True)
class Target:
    """The entry a decision concerns, as the page shows it."""

    item_id: int
    register_number: str
    number_symbol: str
    level: Level

    @property
    def text(self) -> str:
        return _(ENTRY_FACT).format(
            symbol=self.number_symbol, entry=self.register_number, level=level_name(self.level)
        )


class EntryDecisionDialog(RecordFormDialog):
    """A decision on one entry's protection: the entry on top, the fields of the decision
    (``add_decision_fields``), then when and by whom it was decided (``add_decided``)."""

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        target: Target,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, session, events, target.text, parent=parent)
        self.target = target
        self.add_decision_fields()

    def add_decision_fields(self) -> None:
        raise NotImplementedError

    def add_decided(self, by: str) -> None:
        """The decision's day and who decided (``by`` names them: a classifier, …)."""
        self.decided_on = DayField(self.app.ctx.today())
        self.add_field("decided_on", _("Decided on:"), self.decided_on)
        self.decided_by = QLineEdit()
        self.add_field("decided_by", by, self.decided_by)

    def decided_day(self) -> date:
        decided_on = self.decided_on.day("decided_on", required=True)
        assert isinstance(decided_on, date)
        return decided_on


class ExtendDialog(EntryDecisionDialog):
    touches = (CLASSIFICATION, ITEM)
    refusal_fields: ClassVar[dict[str, str]] = {
        "protection.extension_refused": "years",
        "Name who decided the extension.": "decided_by",
        "An extension was already decided on {date}; record them in order.": "decided_on",
        "The decision date is in the future.": "decided_on",
        BEFORE_CLASSIFIED: "decided_on",
    }
    title_id, intro_id, ok_id = EXTEND_TITLE, EXTEND_INTRO, N_("Extend")

    def add_decision_fields(self) -> None:
        self.years = count_spin(1, 30, 5)
        self.add_field("years", _("Years:"), self.years)
        self.add_decided(_("Decided by:"))

    def work(self) -> Callable[[], Any]:
        decided_on = self.decided_day()
        years, by = self.years.value(), self.decided_by.text()
        service, item_id = self.app.classification, self.target.item_id
        return lambda: service.extend(item_id, years, decided_on=decided_on, decided_by=by)


class ChangeLevelDialog(EntryDecisionDialog):
    touches = (CLASSIFICATION, ITEM, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "Name the classifier who decided the change.": "decided_by",
        "Item {item} is already {level}.": "level",
        "The decision date is in the future.": "decided_on",
        BEFORE_CLASSIFIED: "decided_on",
        "Item {item} cannot become Tuyệt mật: it has a summary (trích yếu), which {basis} does"
        " not allow for a Tuyệt mật item ({article}).": "level",
    }
    title_id, intro_id, ok_id = LEVEL_TITLE, LEVEL_INTRO, N_("Change the level")

    def add_decision_fields(self) -> None:
        self.level = level_combo()
        self.level.setCurrentIndex(self.level.findData(self.target.level.value))
        self.add_field("level", _("New level:"), self.level)
        self.add_decided(_("Classifier:"))
        self.reason = QLineEdit()
        self.add_field("reason", _("Reason:"), self.reason)

    def work(self) -> Callable[[], Any]:
        decided_on = self.decided_day()
        level = Level(self.level.currentData())
        by, reason = self.decided_by.text(), self.reason.text()
        service, item_id = self.app.classification, self.target.item_id
        return lambda: service.change_level(
            item_id, level, decided_on=decided_on, decided_by=by, reason=reason
        )


class DeclassifyDialog(EntryDecisionDialog):
    """On removal from the list the service is called at once; by a council the approver
    countersigns in the countersignature dialog first."""

    touches = (CLASSIFICATION, ITEM, COPY, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "A partial declassification says which parts it covers.": "scope",
        "The decision date is in the future.": "decided_on",
        BEFORE_CLASSIFIED: "decided_on",
    }
    title_id, intro_id, ok_id = DECLASSIFY_TITLE, DECLASSIFY_INTRO, N_("Declassify")
    countersign: CountersignDialog | None = None

    def add_decision_fields(self) -> None:
        self.kind = choice_combo((kind, _(text)) for kind, text in KIND_LABELS.items())
        self.add_field("kind", _("Grounds:"), self.kind)
        self.add_decided(_("Decided by:"))
        self.partial = QCheckBox(_("Only some parts"))
        self.add_field("partial", "", self.partial)
        self.scope = QLineEdit()
        self.scope.setPlaceholderText(_("e.g. sections 1 and 2"))
        self.add_field("scope", _("Parts declassified:"), self.scope)
        self.partial.toggled.connect(self.scope.setEnabled)
        self.scope.setEnabled(False)

    def _values(self) -> tuple[str, date, str, bool, str]:
        decided_on = self.decided_day()
        partial = self.partial.isChecked()
        scope = required_text(self.scope, "scope") if partial else ""
        return self.kind.currentData(), decided_on, self.decided_by.text(), partial, scope

    def work(self) -> Callable[[], Any]:
        kind, decided_on, by, partial, scope = self._values()
        service, item_id = self.app.classification, self.target.item_id
        return lambda: service.declassify(
            item_id, kind, decided_on=decided_on, decided_by=by, partial=partial, scope=scope
        )

    def submit(self) -> None:
        if self.kind.currentData() != "council":
            super().submit()
            return
        self.clear_errors()
        try:
            kind, decided_on, by, partial, scope = self._values()
        except FieldProblem as problem:
            self.show_refusal(problem.field, problem.message)
            return
        service, item_id = self.app.classification, self.target.item_id

        def decide(approver: Actor) -> Any:
            return service.declassify(
                item_id,
                kind,
                decided_on=decided_on,
                decided_by=by,
                partial=partial,
                scope=scope,
                approver=approver,
            )

        facts = [
            (_("Document:"), self.target.text),
            (_("Grounds:"), self.kind.currentText()),
            (_("Parts declassified:"), scope if partial else _("All")),
        ]
        self.countersign = CountersignDialog(
            self.runner, self.session, self.events, facts, decide, self.touched, parent=self
        )
        self.countersign.succeeded.connect(self._done)
        self.countersign.open()


class DeclassifyExpiredDialog(FormDialog):
    """A preview of the entries that will be declassified, then all of them at once."""

    touches = (CLASSIFICATION, ITEM, COPY, ENTRY)

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        expired: Sequence[tuple[str, str, str, str]],  # entry, number and symbol, level, expiry
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _(EXPIRED_TITLE),
            intro=_(EXPIRED_INTRO),
            ok_text=_("Declassify all"),
            parent=parent,
        )
        self.setMinimumWidth(720)
        self.preview = QTableWidget(len(expired), 4)
        self.preview.setHorizontalHeaderLabels(
            [_("Entry no."), _("Number and symbol"), _("Level"), _("Protection ends")]
        )
        self.preview.verticalHeader().hide()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.preview.horizontalHeader().setStretchLastSection(True)
        for row, values in enumerate(expired):
            for column, value in enumerate(values):
                self.preview.setItem(row, column, QTableWidgetItem(value))
        self.preview.setMinimumHeight(200)
        self.top.addWidget(self.preview)
        if not expired:
            self.top.addWidget(label(_(NOTHING_EXPIRED), "muted"))
            self.ok_button.setEnabled(False)

    def work(self) -> Callable[[], Any]:
        service = self.app.classification
        return lambda: service.declassify_expired()
