"""Table model of audit events (Vorta's archive table model is the pattern, STYLE.md 4)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt

from secretdesk.gui.models import audit_sentences
from secretdesk.gui.models.base import Index, RowsTableModel
from secretdesk.i18n import N_, _

# The service layer's audit event (seq, at_utc, actor, action, entity, entity_id,
# detail_json, hash); services.audit does not export the type yet.
AuditEvent = Any

# Column constants: views and tests refer to these, never to bare numbers.
SEQ, TIME, ACTOR, ACTION, OBJECT, DETAIL = range(6)
COLUMNS = {
    SEQ: N_("No."),
    TIME: N_("Time"),
    ACTOR: N_("User"),
    ACTION: N_("Action"),
    OBJECT: N_("Object"),
    DETAIL: N_("Detail"),
}
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a value that sorts right (numbers, ISO times)
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2  # the AuditEvent itself

# Readable names of the actions recorded so far; an action not listed shows its id.
ACTION_LABELS = {
    "vault.created": N_("Vault created"),
    "user.added": N_("User added"),
    "user.passphrase_recovered": N_("Passphrase set with the recovery code"),
    "session.failed_unlocks": N_("Failed unlock attempts before this session"),
    "rules.updated": N_("Legal rule sets updated"),
}


def local_time(at_utc: str) -> str:
    """An ISO UTC time as the clerk's local day/month/year hour:minute:second."""
    try:
        return datetime.fromisoformat(at_utc).astimezone().strftime("%d/%m/%Y %H:%M:%S")
    except ValueError:
        return at_utc


def action_label(action: str) -> str:
    return audit_sentences.action_name(action)


def detail_text(detail_json: str) -> str:
    """``{"a": 1, "b": "x"}`` as ``a: 1; b: x`` (nested values stay JSON)."""
    try:
        detail = json.loads(detail_json)
    except ValueError:
        return detail_json
    if not isinstance(detail, dict):
        return detail_json
    parts = []
    for key, value in detail.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)


class AuditTableModel(RowsTableModel):
    """Rows are the service layer's ``AuditEvent`` objects, read-only."""

    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # item id -> its register entry as the clerk knows it ("Văn bản đến 15/2026")
        self.entries: dict[str, str] = {}

    def set_entries(self, entries: dict[str, str]) -> None:
        self.entries = entries

    def event_at(self, row: int) -> AuditEvent:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        event = self.row_object(index)
        if event is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(event, column)
        if role == SORT_ROLE:
            return self._sort_key(event, column)
        if role == OBJECT_ROLE:
            return event
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == ACTION:
                return event.action
            if column == DETAIL:
                return detail_text(event.detail_json)
            if column == SEQ:
                return _("Event hash: {hash}").format(hash=event.hash)
            if column == TIME:
                return event.at_utc
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SEQ:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, event: AuditEvent, column: int) -> str:
        if column == SEQ:
            return str(event.seq)
        if column == TIME:
            return local_time(event.at_utc)
        if column == ACTOR:
            return str(event.actor)
        if column == ACTION:
            return action_label(event.action)
        if column == OBJECT:
            entry = self.entries.get(event.entity_id, "") if event.entity == "item" else ""
            return audit_sentences.entity_text(
                event.entity, event.entity_id, event.detail_json, entry
            )
        if column == DETAIL:
            entry = self.entries.get(event.entity_id, "") if event.entity == "item" else ""
            return audit_sentences.sentence(event.action, event.entity_id, event.detail_json, entry)
        return ""

    def _sort_key(self, event: AuditEvent, column: int) -> Any:
        if column in (SEQ, TIME):
            return event.seq  # the chain order is the time order
        return self._display(event, column).casefold()
