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
from secretdesk.domain.dates import day, local_minute
from secretdesk.domain.levels import Level
from secretdesk.gui.dialogs.verify_package import kind_name as export_kind_name
from secretdesk.gui.models.formats import copy_label, form_name
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services import incidents, permits
from secretdesk.services.handovers import KIND_LABELS
from secretdesk.services.registry import BOOK_KIND_LABELS, legal_bases

REPRINTED = N_("A reprint of the original printed in event {original}; SHA-256 {sha256}.")

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
    "user.passphrase_recovered": (
        N_("Passphrase set with the recovery code"),
        N_("{entity_id} set a new passphrase with the recovery code ({typed_name})."),
    ),
    "user.passphrase_reset": (
        N_("Passphrase reset"),
        N_("The passphrase of {entity_id} was reset."),
    ),
    "user.clearance_changed": (
        N_("Clearance changed"),
        N_("The clearance of {entity_id} was changed, countersigned by {countersigned_by}."),
    ),
    "user.clearance_granted_by_migration": (
        N_("Clearance given by an update"),
        N_("An update of the vault gave the users a clearance level."),
    ),
    "auth.recovery_refused": (
        N_("Recovery refused"),
        N_("The recovery code was used by {typed_name} for {entity_id}, who may not use it."),
    ),
    "key.slot_bound": (
        N_("User's key recorded"),
        N_("The key of {entity_id} was recorded in the log ({fingerprint})."),
    ),
    "key.slot_public_replaced": (
        N_("A user's key was swapped"),
        N_(
            "The key in the slot of {entity_id} was not the one the log recorded: it was"
            " replaced by {swapped_fingerprint}."
        ),
    ),
    "vault.interrupted_restore": (
        N_("An interrupted restore was tidied"),
        N_("What an interrupted restore had left beside the vault was found and settled."),
    ),
    "attachment.view_refused": (
        N_("Scan not shown"),
        N_("Scan #{attachment} ({level}) was not shown: the clearance does not cover it."),
    ),
    "approver.post": (
        N_("Approver's post set"),
        N_("{entity_id} holds the post {post}."),
    ),
    "vault.rekey_started": (
        N_("Re-encryption of the vault started"),
        N_("The vault is being encrypted with a new key: {reason}."),
    ),
    "vault.rekeyed": (
        N_("Vault re-encrypted"),
        N_("The vault was encrypted with a new key: {reason}."),
    ),
    "vault.rekey_postponed": (
        N_("Re-encryption of the vault waits"),
        N_("The vault gets a new key once these users have unlocked it: {waiting_for}."),
    ),
    "vault.restored": (
        N_("Vault restored from a backup"),
        N_("The vault was restored from {backup}; the replaced one is kept as {kept_aside}."),
    ),
    "unit.key_rotated": (
        N_("Unit key replaced"),
        N_("The unit key {old_fingerprint} was replaced by {new_fingerprint}: {reason}."),
    ),
    "muster.recorded": (
        N_("Muster recorded"),
        N_(
            "Muster of {held_on}: {found} of {expected} copies found, {missing} missing,"
            " {unexpected} not expected."
        ),
    ),
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
    "item.view_refused": (
        N_("Viewing refused"),
        N_("Item #{entity_id} ({level}) was not shown: the clearance does not cover it."),
    ),
    "item.level_changed": (
        N_("Level changed"),
        N_("The level of item #{entity_id} was changed by {decided_by} on {decided_on}: {reason}."),
    ),
    "item.extended": (
        N_("Protection period extended"),
        N_(
            "The protection period of item #{entity_id} was extended by {years} years"
            " ({decided_by}, {decided_on})."
        ),
    ),
    "item.declassified": (
        N_("Item declassified"),
        N_("Item #{entity_id} was declassified by {decided_by} on {decided_on}."),
    ),
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
    "handover.closed_by_destruction": (
        N_("Handover closed by a destruction"),
        N_("Handover {number} is closed: its copies were destroyed (case {by_case})."),
    ),
    "destruction.proposed": (
        N_("Destruction proposed"),
        N_("Destruction case {register} proposed for {copies} copies: {grounds}."),
    ),
    "destruction.approved": (
        N_("Destruction approved"),
        N_("{approver} approved destruction case {number} ({level}), decision {decision_ref}."),
    ),
    "destruction.refused": (
        N_("Destruction refused"),
        N_("{approver} refused destruction case {number}."),
    ),
    "destruction.view_refused": (
        N_("Destruction case not shown"),
        N_("Destruction case {number} ({level}) was not shown: the clearance does not cover it."),
    ),
    "destruction.withdrawn": (
        N_("Destruction case withdrawn"),
        N_(
            "Destruction case {number} was withdrawn, countersigned by {countersigned_by}:"
            " {reason}."
        ),
    ),
    "destruction.recorded": (
        N_("Destruction recorded"),
        N_(
            "Destruction case {number}: {copies} copies destroyed on {destroyed_at} at {place}"
            " ({method})."
        ),
    ),
    "destruction.emergency": (
        N_("Emergency destruction"),
        N_("Emergency destruction {register}: {copies} copies destroyed on {destroyed_at}."),
    ),
    "incident.reported": (
        N_("Incident reported"),
        N_("Incident #{entity_id} ({kind}) reported by {reported_by} to {reported_to}."),
    ),
    "incident.recovered": (
        N_("Lost copy recovered"),
        N_("{label} of {item} was found again: {note}."),
    ),
    "incident.followed_up": (
        N_("Incident followed up"),
        N_("The cause, handling and remedy of incident #{entity_id} were recorded."),
    ),
    "permit.requested": (
        N_("Permit requested"),
        N_("Permit #{entity_id} ({kind}) for {copies} copies requested by {requester}."),
    ),
    "permit.approved": (
        N_("Permit approved"),
        N_("{approver} approved permit #{entity_id} ({level})."),
    ),
    "permit.refused": (N_("Permit refused"), N_("{approver} refused permit #{entity_id}.")),
    "permit.closed": (
        N_("Permit closed"),
        N_("Permit #{entity_id} was closed: {report}."),
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
    "print.minutes": (
        N_("Minutes printed"),
        N_("The minutes of destruction case {entity_id} were printed."),
    ),
    "print.permit": (N_("Permit printed"), N_("Permit #{entity_id} was printed.")),
    "print.inventory": (
        N_("Inventory printed"),
        N_("The inventory at {entity_id} was printed."),
    ),
    "print.annual": (
        N_("Annual report printed"),
        N_("The annual report of {entity_id} was printed."),
    ),
    "print.statistics": (
        N_("Statistics list printed"),
        N_("The statistics list of {entity_id} was printed."),
    ),
    "print.refused_clearance": (
        N_("Printing refused"),
        N_("{entity_id} was not printed: it holds a {level} item the clearance does not cover."),
    ),
    "reprint.slip": (N_("Receipt slip reprinted"), REPRINTED),
    "reprint.register": (N_("Register reprinted"), REPRINTED),
    "reprint.labels": (N_("Labels reprinted"), REPRINTED),
    "reprint.minutes": (N_("Minutes reprinted"), REPRINTED),
    "reprint.permit": (N_("Permit reprinted"), REPRINTED),
    "reprint.inventory": (N_("Inventory reprinted"), REPRINTED),
    "reprint.annual": (N_("Annual report reprinted"), REPRINTED),
    "reprint.statistics": (N_("Statistics list reprinted"), REPRINTED),
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
    "system.network_warning": (
        N_("Network warning"),
        N_("The computer was seen connected to a network: {findings}."),
    ),
    "vault.backup": (N_("Backup made"), N_("A backup of the vault was made in {folder}.")),
    "vault.integrity_checked": (
        N_("Full database check"),
        N_("Every page and the structure of every table of the vault were checked: sound."),
    ),
    "export.started": (
        N_("Export started"),
        N_("Export package {seq} ({kind}, {period}) is being written."),
    ),
    "export.written": (
        N_("Export written"),
        N_("Export package {seq} ({kind}, {period}) was written to {folder}."),
    ),
    "export.failed": (
        N_("Export failed"),
        N_("Export package {seq} ({kind}, {period}) was not written: {reason}."),
    ),
    "office.summary": (
        N_("Summary of the units made"),
        N_("A summary of {units} units was made."),
    ),
    "office.package_imported": (
        N_("Package imported"),
        N_("Package {seq} of {unit} ({kind}, {period}) was imported."),
    ),
    "office.package_rejected": (
        N_("Package rejected"),
        N_("Package {seq} of {unit} ({kind}, {period}) was rejected ({reason})."),
    ),
    "office.unit_rolled_back": (
        N_("A unit's log went back"),
        N_("Package {seq} of {unit} was rejected: its log goes back before one already read."),
    ),
    "office.unit_trusted": (
        N_("Unit trusted"),
        N_("{name} is trusted with the key {fingerprint}."),
    ),
    "office.unit_untrusted": (
        N_("Unit no longer trusted"),
        N_("The key {fingerprint} is no longer trusted: {reason}."),
    ),
    "office.unit_key_rotated": (
        N_("A unit's new key accepted"),
        N_("The key {old_fingerprint} of a unit was replaced by {new_fingerprint}: {reason}."),
    ),
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
    "destruction_case": N_("destruction case"),
    "destruction": N_("destruction case"),  # a scan's record
    "permit": N_("permit"),
    "incident": N_("incident"),
    "copy": N_("copy"),
    "muster": N_("muster"),
    "minutes": N_("minutes"),
    "inventory": N_("inventory"),
    "annual": N_("annual report"),
    "statistics": N_("statistics list"),
    "export": N_("export package"),
    "received_package": N_("received package"),
    "trusted_unit": N_("trusted unit"),
    "system": N_("computer"),
}


def entity_text(entity: str, entity_id: str | None, detail_json: str = "", entry: str = "") -> str:
    """``handover 12/2026``: the register number the clerk knows when the event names one;
    an item by its register entry (``entry``, e.g. "Incoming 15/2026") rather than its id."""
    name = ENTITIES.get(entity)
    shown = entity_id or ""
    if entity == "item" and entry:
        return entry
    if entity in ("handover", "draft", "destruction_case", "destruction") and (
        '"number"' in detail_json or '"register"' in detail_json
    ):
        try:
            detail = json.loads(detail_json)
            register = str(detail.get("register") or "")
            shown = str(detail.get("number") or register.rpartition(" ")[2] or shown)
        except (ValueError, AttributeError):
            pass
    return f"{_(name) if name else entity} {shown}".strip()


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "—"


def _value(key: str, value: Any, action: str) -> Any:
    """A stored slug in the clerk's language."""
    if value is None:
        return "—"
    if key == "register" and isinstance(value, str) and " " in value:
        kind, rest = value.split(" ", 1)
        if action.startswith("destruction."):  # "Destruction case 3/2026"
            return rest
        book = BOOK_KIND_LABELS.get(kind)
        return f"{_(book) if book else kind} {rest}"
    if key == "destroyed_at" and isinstance(value, str):
        return local_minute(value, value)
    if key in ("held_on", "decided_on") and isinstance(value, str):
        return day(value, value)
    if key == "kind" and action.startswith("incident."):
        return str(incidents.kind_label(str(value)))
    if key == "kind" and action.startswith("permit."):
        return str(permits.kind_label(str(value)))
    if key == "kind" and action.startswith(("export.", "office.")):
        return export_kind_name(str(value)).lower()
    if key == "post" and isinstance(value, str):
        return _post_name(value)
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
        if key in ("copies", "missing", "unexpected", "units"):
            return len(value)
        return ", ".join(str(v) for v in value)
    return value


def _post_name(code: str) -> str:
    """An approver's post (chức danh) by its name in the rule files, not its code."""
    for basis in legal_bases():
        post = basis.any_post(code)
        if post is not None:
            return post.vi if i18n.current_language() == "vi" else post.en
    return code


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
    N_("Destruction case {register} proposed for {copies} copies: {grounds}."): (
        "copies",
        N_("Destruction case {register} proposed for {copies} copy: {grounds}."),
    ),
    N_(
        "Destruction case {number}: {copies} copies destroyed on {destroyed_at} at {place}"
        " ({method})."
    ): (
        "copies",
        N_(
            "Destruction case {number}: {copies} copy destroyed on {destroyed_at} at {place}"
            " ({method})."
        ),
    ),
    N_("Emergency destruction {register}: {copies} copies destroyed on {destroyed_at}."): (
        "copies",
        N_("Emergency destruction {register}: {copies} copy destroyed on {destroyed_at}."),
    ),
    N_("Permit #{entity_id} ({kind}) for {copies} copies requested by {requester}."): (
        "copies",
        N_("Permit #{entity_id} ({kind}) for {copies} copy requested by {requester}."),
    ),
    N_(
        "The protection period of item #{entity_id} was extended by {years} years"
        " ({decided_by}, {decided_on})."
    ): (
        "years",
        N_(
            "The protection period of item #{entity_id} was extended by {years} year"
            " ({decided_by}, {decided_on})."
        ),
    ),
    N_(
        "Muster of {held_on}: {found} of {expected} copies found, {missing} missing,"
        " {unexpected} not expected."
    ): (
        "expected",
        N_(
            "Muster of {held_on}: {found} of {expected} copy found, {missing} missing,"
            " {unexpected} not expected."
        ),
    ),
    N_("A summary of {units} units was made."): (
        "units",
        N_("A summary of {units} unit was made."),
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
        if action == "permit.requested" and "kind" in detail:  # the variant by its name
            values["kind"] = str(
                permits.variant_label(str(detail["kind"]), bool(detail.get("abroad")))
            )
        values["entity_id"] = entity_id or "—"
        values["entry"] = entry or f"#{entity_id or '—'}"
        return string.Formatter().vformat(translate(_template(known[1], values)), (), values)
    parts = []
    for key, value in detail.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)
