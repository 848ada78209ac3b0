"""How dates, names and states read in the tables: day/month/year, the clerk's local time."""

from __future__ import annotations

from PySide6.QtGui import QColor

from secretdesk import i18n
from secretdesk.domain import dates
from secretdesk.domain.levels import Level
from secretdesk.gui.style import DANGER, DANGER_SURFACE
from secretdesk.i18n import N_, _
from secretdesk.services.registry import BOOK_KIND_LABELS

NONE = "—"  # an empty cell

# The registers an item can be entered in (Item.book_kind), as the filter and table show them.
REGISTER_NAMES = {kind: BOOK_KIND_LABELS[kind] for kind in ("outgoing", "incoming", "internal")}
COPY_LABELS = {
    "original": N_("Copy no. {number}"),
    "reproduction": N_("Reproduction no. {number}"),
}

FORM_LABELS = {  # forms of copying (sao, chụp)
    "sao-y": N_("True copy (sao y)"),
    "sao-luc": N_("Copy by the issuing body (sao lục)"),
    "trich-sao": N_("Extract (trích sao)"),
    "chup": N_("Photograph (chụp)"),
    "paper-to-electronic": N_("Paper to electronic"),
}

# The column of the tables of handovers, destruction cases, permits and incidents (issue 18)
SCANS_HEADER = N_("Scans")


def scans_text(count: int | None) -> str:
    """How many scans a record keeps; none shows as an empty cell's dash."""
    return str(count) if count else NONE


ALERT_BACKGROUND = QColor(DANGER_SURFACE)
ALERT_TEXT = QColor(DANGER)


def day(iso: str | None) -> str:
    """``2026-11-14`` (or a full ISO time) as ``14/11/2026``."""
    return dates.day(iso, NONE)


def local_day(at_utc: str | None) -> str:
    """An ISO UTC time as the clerk's local ``14/11/2026``."""
    return dates.local_day(at_utc, NONE)


def local_minute(at_utc: str | None) -> str:
    """An ISO UTC time as the clerk's local ``14/11/2026 09:05``."""
    return dates.local_minute(at_utc, NONE)


def level_name(level: Level) -> str:
    return level.label(i18n.current_language())


def register_name(kind: str) -> str:
    name = REGISTER_NAMES.get(kind)
    return _(name) if name else kind


def copy_label(kind: str, number: int) -> str:
    """``Copy no. 2`` / ``Bản số 2`` in the language of the window."""
    message = COPY_LABELS.get(kind, COPY_LABELS["original"])
    return _(message).format(number=number)


def sentence(text: str) -> str:
    """A lower-case label (``in storage``) as it starts a table cell (``In storage``)."""
    return text[:1].upper() + text[1:]


def form_name(form: str) -> str:
    caption = FORM_LABELS.get(form)
    return _(caption) if caption else form
