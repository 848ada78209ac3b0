"""Register an item (incoming, outgoing or internal) with every field the command line has."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from secretdesk.domain.drafts import Draft
from secretdesk.domain.items import Container, Direction, Registration, Urgency
from secretdesk.domain.legal import SummaryRule
from secretdesk.domain.levels import Level
from secretdesk.gui.models.formats import register_name
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.common import fit_height, label
from secretdesk.gui.widgets.fields import DayField, count_spin, level_combo, required_text
from secretdesk.gui.write import COPY, DRAFT, ENTRY, ITEM, FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _
from secretdesk.services.registry import basis_on

TITLE = N_("Register an item")
FINALISE_TITLE = N_("Finalise draft {number} as an outgoing item")
INTRO = N_(
    "One line of the register and its numbered copies (Bản số 1, 2, …). The entry gets the "
    "next number of the register book; it can be cancelled later but never deleted."
)
CONTAINER_LABELS = {
    Container.PAPER: N_("Paper document"),
    Container.ELECTRONIC: N_("Electronic file on a storage device"),
    Container.OBJECT: N_("Object"),
    Container.MAP: N_("Map"),
    Container.PHOTO: N_("Photo or recording"),
    Container.OTHER: N_("Other"),
}
URGENCY_LABELS = {
    None: N_("Not urgent"),
    Urgency.KHAN: N_("Urgent (Khẩn)"),
    Urgency.THUONG_KHAN: N_("Very urgent (Thượng khẩn)"),
    Urgency.HOA_TOC: N_("Immediate (Hỏa tốc)"),
}
SUMMARY_FORBIDDEN = N_(
    "The summary of a Tuyệt mật item may not be recorded under {basis}; the field is closed."
)
SUMMARY_CONSENT = N_(
    "Under {basis} the summary of a Tuyệt mật item is recorded only with the classifier's consent."
)


class RegisterItemDialog(FormDialog):
    touches = (ITEM, COPY, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "the number and symbol are required": "number_symbol",
        "the number of copies must be from 1 to {maximum}": "copies",
        "the document date is in the future": "doc_date",
        "the classification date is in the future": "classified_on",
        "the number of pages cannot be negative": "pages",
        "the return deadline is before the document date": "recall_by",
        "item.tuyet_mat_summary": "summary",
        "register.locked": "direction",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        direction: Direction = Direction.INCOMING,
        draft: Draft | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _(FINALISE_TITLE).format(number=draft.label) if draft else _(TITLE),
            intro=_(INTRO),
            ok_text=_("Register the item"),
            parent=parent,
        )
        self.setMinimumWidth(1000)
        self._basis = basis_on(session.app.ctx.today())
        self.direction = QComboBox()
        for kind in Direction:
            self.direction.addItem(register_name(kind.value), kind.value)
        self.direction.setCurrentIndex(self.direction.findData(direction.value))
        self.add_field("direction", _("Register:"), self.direction)
        self.level = level_combo()
        self.add_field("level", _("Level:"), self.level)
        self.number_symbol = QLineEdit()
        self.number_symbol.setPlaceholderText("12/QĐ-UBND")
        self.add_field("number_symbol", _("Number and symbol:"), self.number_symbol)
        self.doc_date = DayField(session.app.ctx.today())
        self.add_field("doc_date", _("Document date:"), self.doc_date)
        self.copies = count_spin(1, 500, 1)
        self.add_field("copies", _("Number of copies:"), self.copies)
        self.doc_type = QLineEdit()
        self.add_field("doc_type", _("Document type:"), self.doc_type)
        self.issuer = QLineEdit()
        self.add_field("issuer", _("Issuer:"), self.issuer)
        self.recipients = QLineEdit()
        self.add_field("recipients", _("Recipients:"), self.recipients)
        self.summary = QPlainTextEdit()
        self.summary.setFixedHeight(self.fontMetrics().height() * 3 + 14)
        self.summary_note = label("", "muted")
        self.add_field("summary", _("Summary:"), self.summary)
        self.current_form.addRow("", self.summary_note)
        self.summary_consent = QCheckBox(_("The classifier consents to recording the summary"))
        self.add_field("summary_consent", "", self.summary_consent)
        self.use_second_column()
        self.container = QComboBox()
        for container, caption in CONTAINER_LABELS.items():
            self.container.addItem(_(caption), container.value)
        self.add_field("container", _("Kind of item:"), self.container)
        self.urgency = QComboBox()
        for urgency, caption in URGENCY_LABELS.items():
            self.urgency.addItem(_(caption), urgency.value if urgency else "")
        self.add_field("urgency", _("Urgency:"), self.urgency)
        self.pages = QSpinBox()
        self.pages.setRange(0, 100_000)
        self.pages.setSpecialValueText("—")
        self.add_field("pages", _("Pages:"), self.pages)
        self.classifier = QLineEdit()
        self.add_field("classifier", _("Classified by:"), self.classifier)
        self.classified_on = DayField()
        self.add_field(
            "classified_on",
            _("Classified on:"),
            self.classified_on,
            _("Empty: the document date."),
        )
        self.no_copying = QCheckBox(_("No copying allowed"))
        self.add_field("no_copying", "", self.no_copying, _("The issuer forbids reproductions."))
        self.recall_by = DayField()
        self.add_field("recall_by", _("Return by:"), self.recall_by, _("Only for recall items."))
        self.named_addressee = QLineEdit()
        self.add_field(
            "named_addressee",
            _("Named addressee:"),
            self.named_addressee,
            _("Only this person may open the envelope."),
        )
        self.drafter = QLineEdit()
        self.add_field("drafter", _("Drafted by:"), self.drafter)
        self.storage = QLineEdit()
        self.storage.setPlaceholderText("Kho lưu trữ")
        self.add_field("storage", _("Kept in:"), self.storage)
        self.level.currentIndexChanged.connect(self._summary_rule)
        self.summary_consent.toggled.connect(self._summary_rule)
        self._summary_rule()
        self.draft = draft
        if draft is not None:  # finalising a draft: an outgoing item, filled from it
            self.touched = (*self.touches, DRAFT)
            self.direction.setCurrentIndex(self.direction.findData(Direction.OUTGOING.value))
            self.direction.setEnabled(False)
            self.level.setCurrentIndex(self.level.findData(draft.proposed_level.value))
            self.drafter.setText(draft.drafter)
            if self.summary.isEnabled():
                self.summary.setPlainText(draft.title)

    def _summary_rule(self) -> None:
        """Rule 9: the Tuyệt mật summary only where the legal basis (and consent) allow it."""
        level = Level(self.level.currentData())
        rule = self._basis.tuyet_mat_summary
        top_secret = level is Level.TUYET_MAT
        self.summary_consent.setVisible(top_secret and rule is SummaryRule.WITH_CLASSIFIER_CONSENT)
        if not top_secret or rule is SummaryRule.ALLOWED:
            self.summary.setEnabled(True)
            self.summary_note.hide()
            return
        if rule is SummaryRule.FORBIDDEN:
            self.summary.setEnabled(False)
            self.summary_note.setText(_(SUMMARY_FORBIDDEN).format(basis=self._basis.title))
        else:
            self.summary.setEnabled(self.summary_consent.isChecked())
            self.summary_note.setText(_(SUMMARY_CONSENT).format(basis=self._basis.title))
        self.summary_note.show()
        layout = self.layout()
        if self.isVisible() and layout is not None:  # the note takes room: grow, not squeeze
            layout.activate()
            fit_height(self)

    def registration(self) -> Registration:
        level = Level(self.level.currentData())
        urgency = self.urgency.currentData()
        summary = self.summary.toPlainText() if self.summary.isEnabled() else ""
        doc_date = self.doc_date.day("doc_date", required=True)
        assert doc_date is not None
        return Registration(
            direction=Direction(self.direction.currentData()),
            level=level,
            number_symbol=required_text(self.number_symbol, "number_symbol"),
            doc_date=doc_date,
            copies=self.copies.value(),
            doc_type=self.doc_type.text(),
            issuer=self.issuer.text(),
            summary=summary,
            summary_consent=self.summary_consent.isVisible() and self.summary_consent.isChecked(),
            container=Container(self.container.currentData()),
            urgency=Urgency(urgency) if urgency else None,
            pages=self.pages.value() or None,
            classifier=self.classifier.text(),
            classified_on=self.classified_on.day("classified_on"),
            copying_allowed=not self.no_copying.isChecked(),
            recall_by=self.recall_by.day("recall_by"),
            named_addressee=self.named_addressee.text(),
            recipients=self.recipients.text(),
            drafter=self.drafter.text(),
            storage_location=self.storage.text(),
        )

    def work(self) -> Callable[[], Any]:
        registration = self.registration()
        if registration.level.value not in {lv.value for lv in Level}:
            raise FieldProblem("level", _("Choose a level."))
        if self.draft is not None:
            draft_id, drafts = self.draft.id, self.app.drafts
            return lambda: drafts.finalise(draft_id, registration)
        items = self.app.items
        return lambda: items.register(registration)
