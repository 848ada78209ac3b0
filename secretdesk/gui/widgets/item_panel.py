"""The detail panel of the registers page: one item's copies and its protection period."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from secretdesk.domain.levels import Level
from secretdesk.gui.models.copies_model import COPY, HOLDER, STATE, CopiesTableModel
from secretdesk.gui.models.formats import day, level_name, register_name
from secretdesk.gui.models.items_model import TOP_SECRET_NOTE, summary_text
from secretdesk.gui.style import mark
from secretdesk.gui.widgets.common import compact_rows, fit_rows, label
from secretdesk.i18n import N_, _
from secretdesk.services.items import ItemDetails

VISIBLE_COPIES = 5  # more copies scroll inside the panel

CHOOSE = N_("Select an entry to see its copies and how long it stays protected.")
LOADING = N_("Loading…")
HEADING = N_("{register} {number}/{year} — {symbol}")
PROTECTED = N_("Protected until {date}.")
EXPIRING = N_("Protection ends soon, on {date}. An extension must be decided by {deadline}.")
EXPIRING_LATE = N_(
    "Protection ends soon, on {date}. The deadline for deciding an extension ({deadline}) "
    "has passed."
)
EXPIRED = N_("Protection ended on {date}.")
CANCELLED_ENTRY = N_("This entry was cancelled in the register.")
SUMMARY = N_("Summary: {summary}")
CONSENT = N_("Summary recorded with the consent of {name} on {date}")
LIST_BASIS = N_("List of secrets: {basis}")
FILE_COPY = N_("File copy held by: {holder}")


def legal_text(legal: Any) -> str:
    """Who consented to a Tuyệt mật summary (the summary itself is never shown), the item's
    basis in the list of secrets and the holder of the file copy, one per line."""
    if legal is None:
        return ""
    lines = []
    if legal.summary_consent_by:
        lines.append(
            _(CONSENT).format(name=legal.summary_consent_by, date=day(legal.summary_consent_on))
        )
    basis = ", ".join(x for x in (legal.list_decision, legal.list_entry) if x)
    if basis:
        lines.append(_(LIST_BASIS).format(basis=basis))
    if legal.file_copy_holder:
        lines.append(_(FILE_COPY).format(holder=legal.file_copy_holder))
    return "\n".join(lines)


def expiry_message(expiry: Any) -> tuple[str, str]:
    """(text, style role) for an ExpiryStatus: plain, a warning, or an alert."""
    when = expiry.expiry.strftime("%d/%m/%Y")
    if expiry.expired:
        return _(EXPIRED).format(date=when), "alert"
    if expiry.expiring_soon:
        deadline = expiry.extension_deadline.strftime("%d/%m/%Y")
        message = EXPIRING if expiry.extension_window_closing else EXPIRING_LATE
        return _(message).format(date=when, deadline=deadline), "warn"
    return _(PROTECTED).format(date=when), ""


class ItemPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        mark(self, "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(8)
        self.heading = label(_(CHOOSE), "muted", selectable=True)
        layout.addWidget(self.heading)
        self.facts = label("", selectable=True)
        layout.addWidget(self.facts)
        self.summary = label("", selectable=True)
        layout.addWidget(self.summary)
        self.legal = label("", "muted", selectable=True)  # consent, list basis, file copy
        layout.addWidget(self.legal)
        self.expiry = label("")
        layout.addWidget(self.expiry)
        self.copies_model = CopiesTableModel(self)
        self.copies = QTableView()
        self.copies.setModel(self.copies_model)
        self.copies.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.copies.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.copies.setWordWrap(False)
        self.copies.verticalHeader().hide()
        compact_rows(self.copies)
        header = self.copies.horizontalHeader()
        header.setSectionResizeMode(COPY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STATE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HOLDER, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.copies)
        self.clear()

    def clear(self) -> None:
        self.heading.setText(_(CHOOSE))
        mark(self.heading, "muted")
        for part in (self.facts, self.summary, self.legal, self.expiry, self.copies):
            part.hide()
        self.copies_model.set_rows([])

    def loading(self) -> None:
        self.heading.setText(_(LOADING))
        mark(self.heading, "muted")

    def show_details(self, details: ItemDetails) -> None:
        item = details.item
        self.heading.setText(
            _(HEADING).format(
                register=register_name(item.book_kind),
                number=item.number,
                year=item.year,
                symbol=item.number_symbol,
            )
        )
        mark(self.heading, "section")
        facts = [part for part in (item.doc_type, item.issuer) if part]
        facts += [level_name(item.level), day(item.doc_date)]
        if item.cancelled:
            facts.append(_(CANCELLED_ENTRY))
        self.facts.setText(" · ".join(facts))
        if item.level is Level.TUYET_MAT:
            self.summary.setText(_(TOP_SECRET_NOTE))
            mark(self.summary, "muted")
        else:
            self.summary.setText(_(SUMMARY).format(summary=summary_text(item)))
            mark(self.summary, "")
        self.legal.setText(legal_text(getattr(details, "legal", None)))
        self.legal.setVisible(bool(self.legal.text()))
        text, role = expiry_message(details.expiry)
        self.expiry.setText(text)
        mark(self.expiry, role)
        self.copies_model.set_rows(details.copies)
        fit_rows(self.copies, VISIBLE_COPIES)
        for part in (self.facts, self.summary, self.expiry, self.copies):
            part.show()
