"""Audit events as short names and sentences in the clerk's language, never raw ids and JSON.

Each known action has a name (the Action column) and a sentence built from the event's
detail (the Detail column). Values stored in English slugs (register kinds, levels, kinds of
handover, forms of copying) are translated; an action not listed falls back to its name or id.
"""

from __future__ import annotations

import json
import re
import string
from typing import Any

from secretdesk import i18n
from secretdesk.domain.levels import Level
from secretdesk.gui.models.formats import copy_label, form_name, register_name
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services.handovers import KIND_LABELS
from secretdesk.services.registry import BOOK_KIND_LABELS

# action -> (name, sentence); the sentence's {fields} come from the event's detail.
ACTIONS: dict[str, tuple[str, str]] = {
    "vault.created": (N_("Vault created"), N_("Vault of {name} ({unit}) created; unit key {key}.")),
    "user.added": (N_("User added"), N_("User {entity_id} was added.")),
    "user.disabled": (N_("User disabled"), N_("User {entity_id} was disabled.")),
    "user.enabled": (N_("User enabled"), N_("User {entity_id} was enabled again.")),
    "user.passphrase_changed": (
        N_("Passphrase changed"),
        N_("{entity_id} changed their passphrase."),
    ),
    "user.passphrase_recovered": (N_("Passphrase set with the recovery code"), ""),
    "session.failed_unlocks": (
        N_("Failed unlock attempts before this session"),
        N_("{failures} failed attempts before this session."),
    ),
    "session.opened": (N_("Session opened"), N_("{entity_id} unlocked the vault.")),
    "session.locked": (N_("Session locked"), N_("{entity_id} locked the vault.")),
    "auth.countersign_failed": (
        N_("Wrong countersignature passphrase"),
        N_("A wrong passphrase was typed for {entity_id}."),
    ),
    "rules.updated": (N_("Legal rule sets updated"), N_("Rule sets: {codes}.")),
    "item.registered": (
        N_("Item registered"),
        N_("{number_symbol} was registered as entry {register}, {level}, {copies} copies."),
    ),
    "item.imported": (N_("Items imported"), N_("{count} entries were imported from {source}.")),
    "item.viewed": (N_("Top secret item viewed"), N_("{entry} was viewed.")),
    "item.opened_by_addressee": (
        N_("Envelope opened by the addressee"),
        N_("{person} opened the envelope."),
    ),
    "entry.cancelled": (
        N_("Entry cancelled"),
        N_("Entry {number}/{year} of the {kind} register was cancelled: {reason}."),
    ),
    "copy.requested": (
        N_("Reproduction requested"),
        N_("{count} copies of {source} requested as {form}."),
    ),
    "copy.approved": (
        N_("Reproduction approved"),
        N_("{approver} approved {authorised} copies ({level})."),
    ),
    "copy.refused": (N_("Reproduction refused"), N_("{approver} refused the request.")),
    "copy.recorded": (
        N_("Reproductions recorded"),
        N_("{made} copies made by {copied_by}, {spoiled} spoiled."),
    ),
    "copy.refused_over_authorisation": (
        N_("More copies than authorised refused"),
        N_("{made} copies recorded but only {authorised} authorised."),
    ),
    "handover.created": (
        N_("Handover created"),
        N_("Handover {number} ({kind}) to {to}."),
    ),
    "handover.receipt": (
        N_("Receipt recorded"),
        N_("The receipt of handover {number} was signed by {received_by}."),
    ),
    "handover.recalled": (N_("Recalled copies back"), N_("Handover {number} came back.")),
    "handover.closed_by_return": (
        N_("Handover closed by a return"),
        N_("Handover {number} is closed: every copy came back."),
    ),
    "attachment.added": (N_("Scan attached"), N_("{file} attached; SHA-256 {sha256}.")),
    "attachment.removed": (
        N_("Scan removed"),
        N_("{file} removed ({reason}); its SHA-256 {sha256} is kept."),
    ),
    "attachment.viewed": (N_("Scan viewed"), N_("Scan #{attachment} viewed; SHA-256 {sha256}.")),
    "attachment.exported": (
        N_("Scan copy saved"),
        N_("A copy of scan #{attachment} was saved; SHA-256 {sha256}."),
    ),
    "print.slip": (N_("Receipt slip printed"), N_("The slip of handover {entity_id} was printed.")),
    "print.register": (N_("Register printed"), N_("Register {entity_id} was printed.")),
    "print.labels": (N_("Labels printed"), N_("Labels {entity_id} were printed.")),
    "print.minutes": (N_("Minutes printed"), ""),
    "print.permit": (N_("Permit printed"), ""),
    "print.inventory": (N_("Inventory printed"), ""),
    "print.annual": (N_("Annual report printed"), ""),
    "book.opened": (
        N_("Register book opened"),
        N_("Register book {kind} {year}, volume {volume}, opened."),
    ),
    "book.locked": (
        N_("Register book locked"),
        N_("Register book {kind} {year}, volume {volume}, locked."),
    ),
    "draft.added": (N_("Draft added"), N_("Draft {number}, version {version}.")),
    "draft.superseded": (N_("Draft superseded"), N_("Draft {number} was superseded.")),
    "draft.finalised": (N_("Draft finalised"), N_("Draft {number} became entry {register}.")),
    "draft.destroyed": (N_("Draft destroyed"), N_("Draft {number} was destroyed.")),
    "system.network_warning": (N_("Network warning"), ""),
    "vault.backup": (N_("Backup made"), ""),
    "export.started": (N_("Export started"), ""),
    "export.written": (N_("Export written"), ""),
}


ENTITIES = {
    "unit": N_("unit"),
    "user": N_("user"),
    "item": N_("item"),
    "entry": N_("entry"),
    "reproduction": N_("copy request"),
    "handover": N_("handover"),
    "slip": N_("slip"),
    "register": N_("register"),
    "labels": N_("labels"),
    "draft": N_("draft"),
    "session": N_("session"),
    "vault": N_("vault"),
    "book": N_("register book"),
    "legal_basis": N_("legal basis"),
}


def entity_text(entity: str, entity_id: str | None, detail_json: str = "", entry: str = "") -> str:
    """``handover 12/2026``: the register number the clerk knows when the event names one;
    an item by its register entry (``entry``, e.g. "Incoming 15/2026") rather than its id."""
    name = ENTITIES.get(entity)
    shown = entity_id or ""
    if entity == "item" and entry:
        return entry
    if entity in ("handover", "draft") and '"number"' in detail_json:
        try:
            shown = str(json.loads(detail_json).get("number") or shown)
        except (ValueError, AttributeError):
            pass
    return f"{_(name) if name else entity} {shown}".strip()


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "—"


def _value(key: str, value: Any, action: str) -> Any:
    """A stored slug in the clerk's language."""
    if key == "register" and isinstance(value, str) and " " in value:
        kind, rest = value.split(" ", 1)
        return f"{register_name(kind)} {rest}"
    if key == "level" and isinstance(value, str):
        try:
            return Level(value).label(i18n.current_language())
        except ValueError:
            return value
    if key == "kind" and action.startswith("handover."):
        label = KIND_LABELS.get(str(value))
        return _(label).lower() if label else value
    if key == "kind" and action.startswith(("entry.", "book.")):
        book = BOOK_KIND_LABELS.get(str(value))
        return _(book) if book else value
    if key == "source" and isinstance(value, str):
        return _copy_text(value)
    if key == "copies" and isinstance(value, list) and value and isinstance(value[0], str):
        return ", ".join(_copy_text(v) for v in value)
    if key == "form":
        return form_name(str(value))
    if isinstance(value, list):
        return len(value) if key == "copies" else ", ".join(str(v) for v in value)
    return value


_COPY_LABEL = re.compile(r"^(Bản sao số|Bản số) (\d+)$")


def _copy_text(label: str) -> str:
    """A stored "Bản số 2" / "Bản sao số 1" in the clerk's language."""
    match = _COPY_LABEL.match(label)
    if match is None:
        return label
    kind = "reproduction" if match.group(1) == "Bản sao số" else "original"
    return copy_label(kind, int(match.group(2)))


# The plural sentence -> (the detail that counts, the sentence when that number is 1).
SINGULAR_OF = {
    N_("{failures} failed attempts before this session."): (
        "failures",
        N_("{failures} failed attempt before this session."),
    ),
    N_("{number_symbol} was registered as entry {register}, {level}, {copies} copies."): (
        "copies",
        N_("{number_symbol} was registered as entry {register}, {level}, {copies} copy."),
    ),
    N_("{count} entries were imported from {source}."): (
        "count",
        N_("{count} entry was imported from {source}."),
    ),
    N_("{count} copies of {source} requested as {form}."): (
        "count",
        N_("{count} copy of {source} requested as {form}."),
    ),
    N_("{approver} approved {authorised} copies ({level})."): (
        "authorised",
        N_("{approver} approved {authorised} copy ({level})."),
    ),
    N_("{made} copies made by {copied_by}, {spoiled} spoiled."): (
        "made",
        N_("{made} copy made by {copied_by}, {spoiled} spoiled."),
    ),
    N_("{made} copies recorded but only {authorised} authorised."): (
        "made",
        N_("{made} copy recorded but only {authorised} authorised."),
    ),
}


def _template(message: str, values: dict[str, Any]) -> str:
    """The sentence's id, singular when the number it counts is 1."""
    singular = SINGULAR_OF.get(message)
    if singular is None:
        return message
    number = values.get(singular[0])
    return plural(number if isinstance(number, int) else 0, singular[1], message)


def action_name(action: str) -> str:
    known = ACTIONS.get(action)
    return _(known[0]) if known else action


def sentence(action: str, entity_id: str | None, detail_json: str, entry: str = "") -> str:
    """The event as a sentence; unknown actions show their detail as ``key: value``.
    ``entry`` names the item the event concerns by its register entry."""
    try:
        detail = json.loads(detail_json) if detail_json else {}
    except ValueError:
        detail = {}
    if not isinstance(detail, dict):
        detail = {}
    known = ACTIONS.get(action)
    if known and known[1]:
        values = _Blank({k: _value(k, v, action) for k, v in detail.items()})
        values["entity_id"] = entity_id or "—"
        values["entry"] = entry or f"#{entity_id or '—'}"
        return string.Formatter().vformat(translate(_template(known[1], values)), (), values)
    parts = []
    for key, value in detail.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)
