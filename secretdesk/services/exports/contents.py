"""What a package holds: report.json filled for its kind, the PDFs, checkpoint.txt, scans."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from secretdesk.crypto.signing import fingerprint
from secretdesk.domain.attachments import EXTENSION_OF
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission
from secretdesk.i18n import N_, LazyText, plural_text
from secretdesk.reports.annual import render_annual_report
from secretdesk.reports.inventory import render_inventory
from secretdesk.reports.model import PrintStamp, RegisterKind, UnitHeader
from secretdesk.reports.registers import render_register
from secretdesk.services.attachments import record_levels
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.exports.errors import ExportRefused
from secretdesk.services.items import NotCleared
from secretdesk.services.package_v1 import checkpoint_text
from secretdesk.services.printing import PrintService
from secretdesk.services.report_v1 import (
    CHECKPOINT,
    REPORT_JSON,
    REPORT_PDF,
    SCAN_PREFIX,
    ChainHeadPart,
    ReportV1,
    TreePart,
    UnitPart,
    build_report,
    encode_report,
    validate_report,
)
from secretdesk.services.stamp import document_stamp, unit_header
from secretdesk.storage import attachments, destruction, office, unit, users, workflow
from secretdesk.storage.audit import ChainHead
from secretdesk.storage.unit import UnitRecord
from secretdesk.transfer.rotation import ROTATION_SIGNATURE, ROTATION_STATEMENT

# Register books exported by kind "registers": one PDF each (report-<book>.pdf).
REGISTER_BOOKS = (RegisterKind.OUTGOING, RegisterKind.INCOMING, RegisterKind.HANDOVERS)


@dataclass(frozen=True)
class _Draft:
    """A report being gathered: what every kind needs to fill ``report`` and render PDFs."""

    change: Change
    period: str
    report: ReportV1
    header: UnitHeader
    stamp: PrintStamp
    key_fingerprint: str


class ReportContents:
    """Gathering the files of a package: report.json and the PDFs of its kind."""

    ctx: ServiceContext
    printing: PrintService  # with the statistics and inventory it prints from

    def _unit(self, conn: Any) -> UnitRecord:
        record = unit.get(conn)
        if record is None:
            raise ExportRefused(reason=LazyText(N_("The vault holds no unit.")))
        return record

    def _files(
        self,
        change: Change,
        kind: str,
        period: str,
        record: UnitRecord,
        seq: int,
        head: ChainHead,
        tree: TreePart,
        scans: list[dict[str, Any]] | None = None,
    ) -> dict[str, bytes]:
        """``scans``: the listing of the scan files the package carries (``_scans``)."""
        key_fingerprint = fingerprint(record.signing_public)
        unit_part: UnitPart = {
            "code": record.code,
            "name": record.name,
            "superior_body": record.superior_body,
            "key_fingerprint": key_fingerprint,
        }
        head_part: ChainHeadPart = {"seq": head.seq, "hash": head.hash}
        report = build_report(unit_part, kind, period, seq, change.at_utc, head_part, tree)
        if scans:
            report["scans"] = scans
        header = unit_header(record)
        stamp = document_stamp(self.ctx.clock, change.actor, int(tree["size"]), str(tree["root"]))
        gather = {
            "annual": self._annual,
            "inventory": self._inventory,
            "registers": self._registers,
            "audit": self._audit,
        }[kind]
        pdfs = gather(_Draft(change, period, report, header, stamp, key_fingerprint))
        # the whole report, every row: the compiled check takes 5 ms for 100,000 items
        validate_report(report)
        signed_fields = {
            "unit": record.code,
            "kind": kind,
            "period": period,
            "seq": seq,
            "head": head,
            "tree": f"{tree['size']}:{tree['root']}",
        }
        rotation = unit.latest_rotation(change.conn)
        rotated = (
            {
                ROTATION_STATEMENT: rotation.statement,
                ROTATION_SIGNATURE: rotation.signature.encode(),
            }
            if rotation is not None and rotation.new_public == record.signing_public
            else {}
        )
        return {
            **pdfs,
            REPORT_JSON: encode_report(report),
            CHECKPOINT: checkpoint_text(signed_fields, change.at_utc, key_fingerprint),
            **rotated,
        }

    def _scans(
        self, change: Change, kind: str, period: str
    ) -> tuple[dict[str, bytes], list[dict[str, Any]]]:
        """The scans kept in the vault that were attached in the package's period (for an
        inventory: up to its date), each checked against the hash recorded when it came, and
        their listing for report.json (record kind and reference, name, size, SHA-256)."""
        if kind == "inventory":
            since, before = "", (date.fromisoformat(period) + timedelta(days=1)).isoformat()
        else:
            since, before = f"{period}-01-01", f"{int(period) + 1}-01-01"
        files: dict[str, bytes] = {}
        listing: list[dict[str, Any]] = []
        for row in attachments.kept_between(change.conn, since, before):
            # a scan shows its record: none above the exporter's clearance leaves in a package
            above = [
                level
                for level in record_levels(change.conn, row.entity, row.entity_id)
                if not self.ctx.actor.may_see(level)
            ]
            if above:
                top = Level.highest(above)
                raise NotCleared(user=self.ctx.actor.username, level=top.label_vi)
            data = b"".join(attachments.chunks(change.conn, row.id))
            if hashlib.sha256(data).hexdigest() != row.sha256:
                raise ExportRefused(
                    reason=LazyText(
                        N_(
                            "Attachment #{id} no longer matches the hash recorded when it"
                            " was added."
                        ),
                        id=row.id,
                    )
                )
            name = f"{SCAN_PREFIX}{row.id}-{row.entity}{EXTENSION_OF[row.media_type]}"
            files[name] = data
            listing.append(
                {
                    "file": name,
                    "record_kind": row.entity,
                    "record_ref": _record_ref(change.conn, row.entity, row.entity_id),
                    "name": row.filename,
                    "size": len(data),
                    "sha256": row.sha256,
                }
            )
        return files, listing

    def _annual(self, d: _Draft) -> dict[str, bytes]:
        stats = self.printing.statistics_service.annual(int(d.period))
        start, end = stats.window_start.isoformat(), stats.window_end.isoformat()
        d.report["statistics"] = stats.to_json()
        d.report["dispatched"], d.report["received"] = _handled(d.change, start, end)
        data = self.printing.annual_data(
            int(d.period), stats=stats, extra_findings=_rotation_finding(d.change)
        )
        return {REPORT_PDF: render_annual_report(data, None, d.stamp)}

    def _inventory(self, d: _Draft) -> dict[str, bytes]:
        inventory = self.printing.inventory_service.inventory(date.fromisoformat(d.period))
        d.report["inventory"] = {
            "as_of": d.period,
            "rows": [
                {
                    "register_number": line.register_number,
                    "number_symbol": line.number_symbol,
                    "level": line.level.value,
                    "copy": line.copy_number,
                    "state": line.state.value,
                    "holder": line.holder,
                    "location": line.location,
                }
                for line in inventory.lines
            ],
        }
        data = self.printing.inventory_data(inventory.as_of)
        return {REPORT_PDF: render_inventory(data, None, d.stamp)}

    def _registers(self, d: _Draft) -> dict[str, bytes]:
        year = int(d.period)
        d.report["dispatched"], d.report["received"] = _handled(
            d.change, f"{year}-01-01", f"{year}-12-31"
        )
        entries: list[dict[str, Any]] = []
        pdfs: dict[str, bytes] = {}
        for book in REGISTER_BOOKS:
            data = self.printing.register_data(book.value, year, allow_empty=True)
            for entry in data.entries:
                row: dict[str, Any] = {
                    "book": book.value,
                    "number": int(entry.cells["number"]),
                    "year": year,
                    "cancelled": entry.cancelled,
                    "cells": {k: v for k, v in entry.cells.items() if v},
                }
                if entry.level is not None:
                    row["level"] = entry.level.value
                entries.append(row)
            pdfs[f"report-{book.value}.pdf"] = render_register(data, None, d.stamp)
        d.report["registers"] = entries
        return pdfs

    def _audit(self, d: _Draft) -> dict[str, bytes]:
        year = int(d.period)
        events = office.audit_events_between(d.change.conn, f"{year}-01-01", f"{year}-12-31")
        d.report["audit"] = {"events": [asdict(event) for event in events]}
        # Stopgap until reports/ has an audit-log renderer: the year's statistics, with the
        # extract described among the findings.
        summary = plural_text(
            len(events),
            N_("Audit log extract of {year}: {count} event, from number {first} to {last}."),
            N_("Audit log extract of {year}: {count} events, from number {first} to {last}."),
            year=year,
            count=len(events),
            first=events[0].seq if events else "-",
            last=events[-1].seq if events else "-",
        )
        data = self.printing.annual_data(
            year, extra_findings=(*_rotation_finding(d.change), summary.render("vi"))
        )
        return {REPORT_PDF: render_annual_report(data, None, d.stamp)}


def _rotation_finding(change: Change) -> tuple[str, ...]:
    """On the paper of every package carrying a rotation statement: the new fingerprint, for
    the office to type (office rotate)."""
    rotation = unit.latest_rotation(change.conn)
    record = unit.get(change.conn)
    if rotation is None or record is None or rotation.new_public != record.signing_public:
        return ()
    text = LazyText(
        N_(
            "The unit's signing key was replaced from package {seq} on; the old key signed the "
            "rotation statement in this package. New key fingerprint: {fingerprint}."
        ),
        seq=rotation.from_seq,
        fingerprint=fingerprint(rotation.new_public),
    )
    return (text.render("vi"),)


def _handled(
    change: Change, start: str, end: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The dispatched and received lists of the period, which name every item: the office
    counts them against the statistics and reconciles handovers between units by those names.
    Leaving a record out (or its name) would spoil both, so a package holding a record above
    the exporter's clearance is refused instead, saying how many and who may export it."""
    dispatched, received = _dispatched(change, start, end), _received(change, start, end)
    actor = change.actor
    rows = [[Level(level) for level in row["levels"]] for row in dispatched]
    rows += [[Level(row["level"])] for row in received]
    above = [max(row, key=lambda level: level.rank) for row in rows if row]
    above = [level for level in above if not actor.may_see(level)]
    if above:
        top = max(above, key=lambda level: level.rank)
        cleared = sorted(
            user.username
            for user in users.all_users(change.conn)
            if user.can(Permission.RECORD) and user.clearance.covers(top)
        )
        raise ExportRefused(
            reason=plural_text(
                len(above),
                N_(
                    "The period holds {count} dispatched or received record above your "
                    "clearance (up to {level}); the report lists every one by name for the "
                    "supervising office's reconciliation, so it must be exported by someone "
                    "cleared for it: {users}."
                ),
                N_(
                    "The period holds {count} dispatched or received records above your "
                    "clearance (up to {level}); the report lists every one by name for the "
                    "supervising office's reconciliation, so it must be exported by someone "
                    "cleared for it: {users}."
                ),
                count=len(above),
                level=top.label_vi,
                users=", ".join(cleared) or "-",
            )
        )
    return dispatched, received


def _dispatched(change: Change, start: str, end: str) -> list[dict[str, Any]]:
    return [
        {
            "number": f"{row.number}/{row.year}",
            "date": row.handed_at[:10],
            "to_body": row.recipient_body,
            "number_symbols": [item.number_symbol for item in row.items],
            "levels": [item.level.value for item in row.items],
            "copies": [item.copies for item in row.items],
        }
        for row in office.dispatches(change.conn, start, end)
        if row.recipient_body
    ]


def _received(change: Change, start: str, end: str) -> list[dict[str, Any]]:
    return [
        {
            "issuer": row.issuer,
            "number_symbol": row.number_symbol,
            "doc_date": row.doc_date,
            "register_number": f"{row.number}/{row.year}",
            "registered_on": row.registered_at[:10],
            "level": row.level.value,
        }
        for row in office.incoming_items(change.conn, start, end)
    ]


def _record_ref(conn: Any, entity: str, entity_id: int) -> str:
    """The record a scan belongs to as the clerk names it: N/YYYY, or the number."""
    if entity == "handover":
        handover = workflow.get_handover(conn, entity_id)
        return handover.label if handover is not None else str(entity_id)
    if entity == "destruction":
        case = destruction.get_case(conn, entity_id)
        return case.label if case is not None else str(entity_id)
    return str(entity_id)
