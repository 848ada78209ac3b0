"""Evidence an inspector can check: scans attached to records, kept inside the vault.

A scan of the signed slip, the council's signed minutes, a permit's report of use or an
incident report is attached to its record: the bytes go into the encrypted database (chunked
BLOBs, never a file next to it), the SHA-256 into the audit event. Removing an attachment
drops the bytes and is itself an audited event that keeps the hash.

Scan-back (``scan_back``): the QR code of a returned slip is read from the scan, matched to its
handover exactly as a typed code is (``PrintService.handover_from_slip_code``), and the
receipt is recorded with the scan attached, in one transaction. A file that does not match
changes nothing.
"""

from __future__ import annotations

import builtins
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from secretdesk.domain.attachments import (
    AttachmentSource,
    EvidenceOf,
    media_type_of,
    safe_name,
    sniff,
)
from secretdesk.domain.handovers import Handover
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText, plural
from secretdesk.imaging import scan
from secretdesk.reports.errors import InvalidSlipCode
from secretdesk.reports.slipcode import parse_slip_code
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.destruction import DestructionService
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.services.handovers import HandoverService
from secretdesk.services.incidents import IncidentService
from secretdesk.services.items import NotCleared, load_copy, load_item
from secretdesk.services.permits import PermitService
from secretdesk.storage import attachments, destruction, incidents, permits, printing, workflow
from secretdesk.storage.attachments import AttachmentRow as AttachmentRow  # for front ends

if TYPE_CHECKING:
    from secretdesk.services.printing import PrintService
from secretdesk.storage.sqlite import Connection

MiB = 1024 * 1024


class NotAcceptedFile(SecretDeskError):
    code = "attachment.type_refused"
    message = N_(
        "{name} is not accepted: only PNG, JPEG and TIFF images and PDF files can be attached."
    )


class FileNotWhatItSays(SecretDeskError):
    code = "attachment.type_mismatch"
    message = N_("{name} is not a {kind} file, although its name says so.")


class FileTooLarge(SecretDeskError):
    code = "attachment.too_large"
    message = N_("{name} is {size} MiB; a file attached to a record may be at most {limit} MiB.")


class VaultFull(SecretDeskError):
    code = "attachment.vault_full"
    message = N_(
        "{name} ({size} MiB) does not fit: the vault's attachments would pass {limit} MiB."
        " Remove attachments that are no longer needed, or keep this one on paper."
    )


class AttachmentRemoved(SecretDeskError):
    code = "attachment.removed"
    message = N_("Attachment #{id} was removed on {at}: only its record and hash remain.")


class ScanOutcome(StrEnum):
    MATCHED = "matched"  # matched and closed
    ALREADY_CLOSED = "already_closed"
    NOT_FOUND = "not_found"  # a slip code, but no such handover
    FORGED = "forged"  # the check does not match any printed slip (altered, another unit)
    NO_CODE = "no_code"
    REFUSED = "refused"  # not an accepted file, too large, or the receipt was refused


OUTCOME_LABELS = {
    ScanOutcome.MATCHED: N_("matched, receipt recorded"),
    ScanOutcome.ALREADY_CLOSED: N_("already closed"),
    ScanOutcome.NOT_FOUND: N_("code not found"),
    ScanOutcome.FORGED: N_("check does not match (altered, or a slip of another unit)"),
    ScanOutcome.NO_CODE: N_("no slip code found"),
    ScanOutcome.REFUSED: N_("refused"),
}


@dataclass(frozen=True)
class EvidenceGaps:
    """What an inspector would ask for and the vault does not hold (numbers N/YYYY)."""

    handovers: tuple[str, ...]  # receipt recorded, no scan of the signed slip
    destructions: tuple[str, ...]  # carried out, no signed minutes

    def lines(self, language: str | None = None, limit: int = 40) -> list[str]:
        """One line per kind of gap, with its count and list (cut after ``limit`` numbers)."""
        found = []
        for message, numbers in (
            (
                plural(
                    len(self.handovers),
                    N_("{count} handover received without a scan of the signed slip: {list}."),
                    N_("{count} handovers received without a scan of the signed slip: {list}."),
                ),
                self.handovers,
            ),
            (
                plural(
                    len(self.destructions),
                    N_("{count} destruction without scanned signed minutes: {list}."),
                    N_("{count} destructions without scanned signed minutes: {list}."),
                ),
                self.destructions,
            ),
        ):
            if numbers:
                shown = ", ".join(numbers[:limit]) + (", …" if len(numbers) > limit else "")
                found.append(LazyText(message, count=len(numbers), list=shown).render(language))
        return found


@dataclass(frozen=True)
class ScanResult:
    file: str
    outcome: ScanOutcome
    handover: str = ""  # N/YYYY when a handover was identified
    code: str = ""
    attachment_id: int | None = None
    detail: LazyText | str = ""

    @property
    def ok(self) -> bool:
        return self.outcome in (ScanOutcome.MATCHED, ScanOutcome.ALREADY_CLOSED)


def _mib(size: int) -> str:
    return f"{size / MiB:.1f}"


class AttachmentService:
    max_file_bytes = 25 * MiB
    max_vault_bytes = 2048 * MiB

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        handovers: HandoverService,
        destruction: DestructionService,
        permits: PermitService,
        incidents: IncidentService,
        printing: Callable[[], PrintService],
    ) -> None:
        """Collaborators from the composition root (app.py); ``printing`` is asked for only
        when a scan is matched (it loads reportlab, and it needs this service too)."""
        self.ctx = ctx
        self.handovers = handovers
        self.destruction = destruction
        self.permits = permits
        self.incidents = incidents
        self.printing = printing

    # -- the record a file belongs to ---------------------------------------------------------
    def resolve(self, kind: str, ref: str) -> tuple[EvidenceOf, int, str]:
        """The record named by ``kind`` and ``ref`` (``N/YYYY`` or ``N`` for a handover or a
        destruction case, the number of a permit or an incident): its kind, id and label."""
        try:
            of = EvidenceOf(kind)
        except ValueError:
            raise InvalidRequest(
                reason=LazyText(
                    N_(
                        "Scans can be attached to a handover, a destruction case, a permit or an"
                        " incident, not to “{kind}”."
                    ),
                    kind=kind,
                )
            ) from None
        text = ref.strip().lstrip("#")
        number, slash, year = text.partition("/")
        try:
            if of in (EvidenceOf.HANDOVER, EvidenceOf.DESTRUCTION):
                y = int(year) if slash else self.ctx.today().year
                if of is EvidenceOf.HANDOVER:
                    handover = self.handovers.find(y, int(number))
                    return of, handover.id, handover.label
                if slash:
                    case = self.destruction.find(y, int(number))
                else:
                    case = self.destruction.get(int(number))
                return of, case.id, case.label
            if slash:
                raise ValueError(ref)
            if of is EvidenceOf.PERMIT:
                return of, self.permits.get(int(number)).id, f"#{int(number)}"
            return of, self.incidents.get(int(number)).id, f"#{int(number)}"
        except ValueError:
            raise InvalidRequest(
                reason=LazyText(
                    N_(
                        "“{ref}” is not a reference such as 3/2026 (handover, destruction case) or"
                        " 7 (permit, incident)."
                    ),
                    ref=ref,
                )
            ) from None

    def read_upload(self, path: Path) -> bytes:
        """A file picked by the user, refused before it is read whole when it is too large."""
        name = safe_name(str(path))
        try:
            # Opened without waiting (a named pipe would block until a writer comes), then
            # refused unless it is a plain file: a folder, a pipe or a link to a device is not
            # a scan, and /dev/zero would be read up to the size limit.
            flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
            fd = os.open(path, flags)
            try:
                status = os.fstat(fd)
            except OSError:
                os.close(fd)
                raise
            if not stat.S_ISREG(status.st_mode):
                os.close(fd)
                raise InvalidRequest(
                    reason=LazyText(
                        N_(
                            "{name} is not a file (a folder, a device or a pipe): choose"
                            " the scanned file itself."
                        ),
                        name=name,
                    )
                )
            with os.fdopen(fd, "rb") as handle:
                if status.st_size > self.max_file_bytes:
                    raise FileTooLarge(
                        name=name, size=_mib(status.st_size), limit=_mib(self.max_file_bytes)
                    )
                return handle.read(self.max_file_bytes + 1)
        except OSError as error:
            raise InvalidRequest(
                reason=LazyText(
                    N_("{name} cannot be read: {detail}."), name=name, detail=error.strerror or ""
                )
            ) from None

    # -- checks ------------------------------------------------------------------------------
    def check_file(self, filename: str, data: bytes) -> str:
        """The file's media type, once it is accepted: kind, signature, reader, size."""
        name = safe_name(filename)
        media_type = media_type_of(name)
        if media_type is None:
            raise NotAcceptedFile(name=name)
        if len(data) > self.max_file_bytes:
            raise FileTooLarge(name=name, size=_mib(len(data)), limit=_mib(self.max_file_bytes))
        if sniff(data) != media_type:
            raise FileNotWhatItSays(name=name, kind=media_type.split("/")[1].upper())
        scan.check_readable(name, data, media_type)
        return media_type

    def _store(
        self,
        change: Change,
        of: EvidenceOf,
        entity_id: int,
        label: str,
        filename: str,
        data: bytes,
        media_type: str,
        source: AttachmentSource,
    ) -> AttachmentRow:
        name = safe_name(filename)
        kept = attachments.stored_bytes(change.conn)
        if kept + len(data) > self.max_vault_bytes:
            raise VaultFull(name=name, size=_mib(len(data)), limit=_mib(self.max_vault_bytes))
        sha256 = hashlib.sha256(data).hexdigest()
        attachment_id = attachments.insert(
            change.conn,
            entity=of.value,
            entity_id=entity_id,
            filename=name,
            media_type=media_type,
            data=data,
            sha256=sha256,
            source=source.value,
            added_at=change.at_utc,
            added_by=change.actor.username,
        )
        change.audit(
            "attachment.added",
            of.value,
            entity_id,
            number=label,
            attachment=attachment_id,
            file=name,
            media_type=media_type,
            size=len(data),
            sha256=sha256,
            source=source.value,
        )
        row = attachments.get(change.conn, attachment_id)
        assert row is not None
        return row

    # -- use cases -----------------------------------------------------------------------------
    def add(self, kind: str, ref: str, filename: str, data: bytes) -> AttachmentRow:
        of, entity_id, label = self.resolve(kind, ref)
        media_type = self.check_file(filename, data)
        with self.ctx.change(Permission.RECORD) as change:
            return self._store(
                change, of, entity_id, label, filename, data, media_type, AttachmentSource.ATTACH
            )

    def list(self, kind: str, ref: str) -> builtins.list[AttachmentRow]:
        """The scans of one record; those of a record above the reader's clearance (their
        file names tell of it) are left out, ``hidden_count`` says how many."""
        return self._visible(kind, ref)[0]

    def hidden_count(self, kind: str, ref: str) -> int:
        """How many scans the same listing leaves out as above the reader's clearance."""
        return self._visible(kind, ref)[1]

    def _visible(self, kind: str, ref: str) -> tuple[builtins.list[AttachmentRow], int]:
        of, entity_id, _label = self.resolve(kind, ref)
        conn = self.ctx.read()
        rows = attachments.of(conn, of.value, entity_id)
        if rows and self.ctx.actor.hidden_levels():
            levels = record_levels(conn, of.value, entity_id)
            if not all(self.ctx.actor.may_see(level) for level in levels):
                return [], len(rows)
        return rows, 0

    def counts(self, kind: str) -> dict[int, int]:
        """Record id -> how many scans it keeps, for a table's column (one query)."""
        return attachments.counts(self.ctx.read(), EvidenceOf(kind).value)

    def get(self, attachment_id: int) -> AttachmentRow:
        row = attachments.get(self.ctx.read(), attachment_id)
        if row is None:
            raise NotFound(what=LazyText(N_("attachment")), ref=f"#{attachment_id}")
        return row

    def _checked_bytes(self, attachment_id: int) -> tuple[AttachmentRow, bytes]:
        """A kept scan's bytes for a reader cleared for its record, refused when it was
        removed or no longer matches the hash recorded when it was added."""
        row = self.get(attachment_id)
        if row.removed_at is not None:
            raise AttachmentRemoved(id=attachment_id, at=row.removed_at)
        self.require_cleared(row)
        data = b"".join(attachments.chunks(self.ctx.read(), attachment_id))
        if hashlib.sha256(data).hexdigest() != row.sha256:
            raise InvalidRequest(
                reason=LazyText(
                    N_("Attachment #{id} no longer matches the hash recorded when it was added."),
                    id=attachment_id,
                )
            )
        return row, data

    def content(self, attachment_id: int) -> tuple[AttachmentRow, bytes]:
        """The stored bytes, checked against the recorded hash; the read is an audit event."""
        row, data = self._checked_bytes(attachment_id)
        with self.ctx.change(Permission.READ) as change:
            change.audit(
                "attachment.exported",
                row.entity,
                row.entity_id,
                attachment=row.id,
                sha256=row.sha256,
            )
        return row, data

    def view(self, attachment_id: int, max_side: int = 1400) -> tuple[AttachmentRow, scan.Preview]:
        """The first page of a kept scan as pixels for the screen (Pillow or PDFium render
        it); the bytes are checked against their hash first, and the view is an audit event."""
        row, data = self._checked_bytes(attachment_id)
        preview = scan.render_preview(row.filename, data, row.media_type, max_side)
        with self.ctx.change(Permission.READ) as change:
            change.audit(
                "attachment.viewed",
                row.entity,
                row.entity_id,
                attachment=row.id,
                sha256=row.sha256,
            )
        return row, preview

    def require_cleared(self, row: AttachmentRow) -> None:
        """A scan shows its record (a slip lists its items): refused (audited) to a reader
        cleared below the highest level of that record, as the record itself is."""
        conn = self.ctx.read()
        above = [
            level
            for level in record_levels(conn, row.entity, row.entity_id)
            if not self.ctx.actor.may_see(level)
        ]
        if not above:
            return
        top = Level.highest(above)
        with self.ctx.change(Permission.READ) as change:
            change.audit(
                "attachment.view_refused",
                row.entity,
                row.entity_id,
                attachment=row.id,
                level=top.value,
            )
        raise NotCleared(user=self.ctx.actor.username, level=top.label_vi)

    def remove(self, attachment_id: int, reason: str) -> AttachmentRow:
        if not reason.strip():
            raise InvalidRequest(reason=LazyText(N_("Say why the attachment is removed.")))
        self.ctx.actor.require(Permission.RECORD)
        kept = attachments.get(self.ctx.read(), attachment_id)
        if kept is not None and kept.removed_at is None:
            self.require_cleared(kept)  # nobody takes away evidence of a record they may not see
        with self.ctx.change(Permission.RECORD) as change:
            row = attachments.get(change.conn, attachment_id)
            if row is None:
                raise NotFound(what=LazyText(N_("attachment")), ref=f"#{attachment_id}")
            if row.removed_at is not None:
                raise AttachmentRemoved(id=attachment_id, at=row.removed_at)
            attachments.remove(
                change.conn,
                attachment_id,
                at=change.at_utc,
                by=change.actor.username,
                reason=reason.strip(),
            )
            change.audit(
                "attachment.removed",
                row.entity,
                row.entity_id,
                attachment=row.id,
                file=row.filename,
                size=row.size,
                sha256=row.sha256,
                reason=reason.strip(),
            )
            removed = attachments.get(change.conn, attachment_id)
            assert removed is not None
            return removed

    # -- scan-back ------------------------------------------------------------------------------
    def scan_back(
        self, filename: str, data: bytes, received_by: str, at: datetime | date
    ) -> ScanResult:
        """Read the slip code on one scan and record its handover's receipt with the scan."""

        name = safe_name(filename)
        try:
            media_type = self.check_file(filename, data)
            texts = scan.read_codes(name, data, media_type)
        except SecretDeskError as error:
            return ScanResult(name, ScanOutcome.REFUSED, detail=_refusal(error))
        code = ""
        for text in texts:
            try:
                code = str(parse_slip_code(text))
                break
            except InvalidSlipCode:
                continue
        if not code:
            return ScanResult(name, ScanOutcome.NO_CODE)
        printing = self.printing()
        try:
            handover = printing.handover_from_slip_code(code)
        except NotFound as error:
            return ScanResult(name, ScanOutcome.NOT_FOUND, code=code, detail=_refusal(error))
        except InvalidRequest as error:
            label = code.split("|")[2] + "/" + code.split("|")[1]
            return ScanResult(
                name, ScanOutcome.FORGED, handover=label, code=code, detail=_refusal(error)
            )
        if handover.status == "closed" or handover.receipt_at:
            return ScanResult(name, ScanOutcome.ALREADY_CLOSED, handover.label, code)
        stored: list[int] = []

        def attach(change: Change, matched: Handover) -> None:
            row = self._store(
                change,
                EvidenceOf.HANDOVER,
                matched.id,
                matched.label,
                filename,
                data,
                media_type,
                AttachmentSource.SCAN,
            )
            stored.append(row.id)

        try:
            self.handovers.receipt(handover.year, handover.number, received_by, at, evidence=attach)
        except SecretDeskError as error:
            return ScanResult(
                name, ScanOutcome.REFUSED, handover.label, code, detail=_refusal(error)
            )
        return ScanResult(name, ScanOutcome.MATCHED, handover.label, code, stored[0])

    # -- what has no evidence ---------------------------------------------------------------
    def gaps(self, start: date | None, end: date) -> EvidenceGaps:
        """Receipts recorded and destructions carried out from ``start`` (None: ever) to
        ``end`` (inclusive) that have no scan in the vault."""
        conn = self.ctx.read()
        since = start.isoformat() if start else ""
        before = (end + timedelta(days=1)).isoformat()
        handovers = [
            workflow.get_handover(conn, i)
            for i in attachments.received_without_scan(conn, since, before)
        ]
        cases = [
            destruction.get_case(conn, i)
            for i in attachments.destroyed_without_minutes(conn, since, before)
        ]
        return EvidenceGaps(
            tuple(h.label for h in handovers if h is not None),
            tuple(c.label for c in cases if c is not None),
        )


def _refusal(error: SecretDeskError) -> LazyText:
    """An error kept as text that renders in the reader's language."""
    return LazyText(error.message, **error.params)


def record_levels(conn: Connection, entity: str, entity_id: int) -> builtins.list[Level]:
    """The levels of the items of the record a scan belongs to (what the scan shows)."""
    copy_ids: builtins.list[int] = []
    if entity == EvidenceOf.HANDOVER.value:
        return [Level(line["level"]) for line in printing.handover_lines(conn, entity_id)]
    if entity == EvidenceOf.DESTRUCTION.value:
        case = destruction.get_case(conn, entity_id)
        copy_ids = list(case.copy_ids) if case else []
    elif entity == EvidenceOf.PERMIT.value:
        permit = permits.get_permit(conn, entity_id)
        copy_ids = list(permit.copy_ids) if permit else []
    elif entity == EvidenceOf.INCIDENT.value:
        incident = incidents.get_incident(conn, entity_id)
        copy_ids = [incident.copy_id] if incident and incident.copy_id is not None else []
    return [load_item(conn, load_copy(conn, copy_id).item_id).level for copy_id in copy_ids]
