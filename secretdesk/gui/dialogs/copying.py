"""Reproductions (sao, chụp): request one, and record what was made and spoiled."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, ClassVar

from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox, QWidget

from secretdesk.domain.copies import Copy
from secretdesk.domain.items import Item
from secretdesk.gui.dialogs.handover import Pickable, find_copies
from secretdesk.gui.dialogs.record_form import RecordFormDialog
from secretdesk.gui.models.formats import copy_label, form_name, level_name
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.common import label
from secretdesk.gui.widgets.fields import DayField, count_spin, required_text
from secretdesk.gui.write import COPY, ENTRY, REPRODUCTION, FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _
from secretdesk.services.copies import FORMS

REQUEST_TITLE = N_("Request a reproduction")
REQUEST_INTRO = N_(
    "A reproduction needs the approval of someone whose authority covers the item's level. "
    "Nothing is copied until it is approved."
)
RECORD_TITLE = N_("Record the copies made")
RECORD_INTRO = N_(
    "Each copy made gets its own number (Bản sao số …). Never more than authorised; spoiled "
    "copies are destroyed at once and recorded."
)
ITEM_FACT = N_("{symbol} (entry {number}/{year}), {level}")
CHOOSE_SOURCE = N_("Choose the copy to reproduce.")
FIND_HINT = N_("Register number (12/2026) or number and symbol, then Enter")
NOTHING_FOUND = N_("No entry matches.")


class CopyRequestDialog(FormDialog):
    touches = (REPRODUCTION,)
    refusal_fields: ClassVar[dict[str, str]] = {
        "copy.refused": "source",
        "custody.transition_refused": "source",
        "At least one copy must be requested.": "count",
        "Unknown form of copying: {form}.": "form",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        item: Item | None = None,
        copies: Sequence[Copy] = (),
        *,
        source_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _(REQUEST_TITLE),
            intro=_(REQUEST_INTRO),
            ok_text=_("Request"),
            parent=parent,
        )
        self.item = item
        self.search: QLineEdit | None = None
        if item is not None:
            self.top.addWidget(label(item_fact(item), "section", wrap=False))
        else:  # opened from the copying page: find the entry first
            self.search = QLineEdit()
            self.search.setPlaceholderText(_(FIND_HINT))
            self.search.returnPressed.connect(self.run_search)
            self.add_field("search", _("Find the entry:"), self.search)
        self.source = QComboBox()
        self.source.setMinimumContentsLength(30)
        for copy in copies:
            self.source.addItem(copy_label(copy.kind, copy.number), copy.id)
        if source_id is not None:
            self.source.setCurrentIndex(max(0, self.source.findData(source_id)))
        self.add_field("source", _("Copy to reproduce:"), self.source)
        self.count = count_spin(1, 100, 1)
        self.add_field("count", _("Number of copies:"), self.count)
        self.form_choice = QComboBox()
        for form in FORMS:
            self.form_choice.addItem(form_name(form), form)
        self.add_field("form", _("Form:"), self.form_choice)
        self.purpose = QLineEdit()
        self.add_field("purpose", _("Purpose:"), self.purpose)

    def run_search(self) -> None:
        assert self.search is not None
        text, items = self.search.text(), self.app.items
        self.runner.submit(
            lambda: find_copies(items, text), self._found, self._failed, context=self
        )

    def _found(self, rows: list[Pickable]) -> None:
        self.source.clear()
        for row in rows:
            self.source.addItem(row.label, row.copy.id)
        if not rows:
            self.show_refusal("search", _(NOTHING_FOUND))

    def work(self) -> Callable[[], Any]:
        source = self.source.currentData()
        if source is None:
            raise FieldProblem("source", _(CHOOSE_SOURCE))
        count, form, purpose = (
            self.count.value(),
            self.form_choice.currentData(),
            self.purpose.text(),
        )
        copies = self.app.copies
        return lambda: copies.request(int(source), count, form, purpose)


class RecordCopiesDialog(RecordFormDialog):
    touches = (REPRODUCTION, COPY, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "copy.refused": "made",
        "Spoiled copies cannot be negative.": "spoiled",
        "custody.transition_refused": "made",
    }
    title_id, intro_id, ok_id = RECORD_TITLE, RECORD_INTRO, N_("Record")

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        repro_id: int,
        authorised: int,
        description: str,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, session, events, description, parent=parent)
        self.repro_id = repro_id
        self.made = QSpinBox()
        self.made.setRange(0, 1000)
        self.made.setValue(authorised)
        self.add_field(
            "made",
            _("Copies made:"),
            self.made,
            _("Authorised: {count}").format(count=authorised),
        )
        self.spoiled = QSpinBox()
        self.spoiled.setRange(0, 1000)
        self.add_field("spoiled", _("Spoiled and destroyed:"), self.spoiled)
        self.copied_by = QLineEdit(session.display_name)
        self.add_field("copied_by", _("Copied by:"), self.copied_by)
        self.copied_on = DayField(session.app.ctx.today())
        self.add_field("copied_on", _("Copied on:"), self.copied_on)
        self.place = QLineEdit()
        self.add_field("place", _("Place:"), self.place)

    def work(self) -> Callable[[], Any]:
        copied_by = required_text(self.copied_by, "copied_by")
        copied_on = self.copied_on.day("copied_on", required=True)
        assert isinstance(copied_on, date)
        made, spoiled, place = self.made.value(), self.spoiled.value(), self.place.text()
        copies, repro_id = self.app.copies, self.repro_id
        return lambda: copies.record(
            repro_id, made, copied_by=copied_by, copied_on=copied_on, place=place, spoiled=spoiled
        )


def item_fact(item: Item) -> str:
    return _(ITEM_FACT).format(
        symbol=item.number_symbol, number=item.number, year=item.year, level=level_name(item.level)
    )
