"""attach KIND REF FILE | attach list KIND REF | attach export ID --out FILE |
attach remove ID --reason T; and ``handover scan FILE...`` (scan-back)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from secretdesk.cli import parsing
from secretdesk.cli.context import CliContext
from secretdesk.cli.output import labelled
from secretdesk.domain import dates
from secretdesk.domain.attachments import EvidenceOf
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, _, plural, translate
from secretdesk.services.files import save_private

_KIND_HELP = {
    EvidenceOf.HANDOVER: N_("attach a scan to a handover (REF: N/YYYY)"),
    EvidenceOf.DESTRUCTION: N_("attach signed minutes to a destruction case (REF: N/YYYY)"),
    EvidenceOf.PERMIT: N_("attach the report of use to a permit (REF: its number)"),
    EvidenceOf.INCIDENT: N_("attach a report to an incident (REF: its number)"),
}


def register(commands: Any) -> None:
    attach = commands.add_parser(
        "attach", help=_("scans of signed slips and minutes, kept in the vault")
    )
    sub = attach.add_subparsers(dest="attach_command", metavar="KIND|ACTION", required=True)
    for kind in EvidenceOf:
        add = sub.add_parser(kind.value, help=_(_KIND_HELP[kind]))
        add.add_argument("ref", metavar="REF")
        add.add_argument("file", type=Path, metavar="FILE", help=_("PNG, JPEG, TIFF or PDF"))
        add.set_defaults(handler=run_attach, kind=kind.value)
    listing = sub.add_parser("list", help=_("the attachments of a record"))
    listing.add_argument("kind", choices=[k.value for k in EvidenceOf], metavar="KIND")
    listing.add_argument("ref", metavar="REF")
    listing.set_defaults(handler=run_attach_list)
    export = sub.add_parser("export", help=_("write an attachment to a file"))
    export.add_argument("id", type=int, metavar="ID")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.set_defaults(handler=run_attach_export)
    remove = sub.add_parser("remove", help=_("remove an attachment (its record and hash stay)"))
    remove.add_argument("id", type=int, metavar="ID")
    remove.add_argument("--reason", required=True, help=_("why it is removed"))
    remove.set_defaults(handler=run_attach_remove)


def add_scan_command(handover_actions: Any) -> None:
    """``handover scan FILE...``: read returned slips back by their codes."""
    scan = handover_actions.add_parser(
        "scan", help=_("record receipts from scanned signed slips (read by their codes)")
    )
    scan.add_argument("files", type=Path, nargs="+", metavar="FILE")
    scan.add_argument("--received-by", required=True, help=_("who signed the slips"))
    scan.add_argument(
        "--at", type=parsing.iso_moment, required=True, help=_("when the slips were signed")
    )
    scan.set_defaults(handler=run_handover_scan)


def _row(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.entity,
        "file": row.filename,
        "media_type": row.media_type,
        "size": row.size,
        "sha256": row.sha256,
        "source": row.source,
        "added_at": row.added_at,
        "added_by": row.added_by,
        "removed_at": row.removed_at,
        "removed_reason": row.removed_reason,
    }


def run_attach(args: argparse.Namespace, ctx: CliContext) -> int:
    service = ctx.unlock().attachments
    data = service.read_upload(args.file)
    row = service.add(args.kind, args.ref, args.file.name, data)
    ctx.output.result(
        _row(row),
        _("Attached as #{id}: {file} ({size} bytes, SHA-256 {sha256}).").format(
            id=row.id, file=row.filename, size=row.size, sha256=row.sha256
        ),
    )
    return 0


def run_attach_list(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    rows = opened.attachments.list(args.kind, args.ref)
    hidden = opened.attachments.hidden_count(args.kind, args.ref)
    ctx.output.table(
        [_row(r) for r in rows],
        [
            ("id", "#"),
            ("file", _("File")),
            ("size", _("Bytes")),
            ("added_at", _("Added")),
            ("sha256", "SHA-256"),
            ("removed_at", _("Removed")),
        ],
        {"added_at": dates.local_minute, "removed_at": dates.local_minute},
    )
    if hidden and not ctx.output.as_json:
        notice = _("Scans of a record above your clearance left out: {count}.").format(count=hidden)
        ctx.output.result(None, notice)
    return 0


def run_attach_export(args: argparse.Namespace, ctx: CliContext) -> int:
    row, data = ctx.unlock().attachments.content(args.id)
    save_private(args.out, data)
    ctx.output.result(
        {"out": str(args.out), "bytes": len(data), "sha256": row.sha256},
        _("Written: {path} ({size} bytes).").format(path=args.out, size=len(data)),
    )
    return 0


def run_attach_remove(args: argparse.Namespace, ctx: CliContext) -> int:
    row = ctx.unlock().attachments.remove(args.id, args.reason)
    ctx.output.result(
        _row(row),
        _("Attachment #{id} removed; its record and SHA-256 {sha256} stay.").format(
            id=row.id, sha256=row.sha256
        ),
    )
    return 0


def run_handover_scan(args: argparse.Namespace, ctx: CliContext) -> int:
    from secretdesk.services.attachments import OUTCOME_LABELS, ScanOutcome, ScanResult

    service = ctx.unlock().attachments
    results = []
    for path in args.files:
        try:
            data = service.read_upload(path)
        except SecretDeskError as error:  # reported with the other files' outcomes
            results.append(ScanResult(path.name, ScanOutcome.REFUSED, detail=error.render()))
            continue
        results.append(service.scan_back(path.name, data, args.received_by, args.at))
    rows = [
        {
            "file": r.file,
            "outcome": r.outcome.value,
            "handover": r.handover,
            "attachment": r.attachment_id,
            "detail": str(r.detail),
        }
        for r in results
    ]
    ctx.output.table(
        rows,
        [
            ("file", _("File")),
            ("outcome", _("Outcome")),
            ("handover", _("Handover")),
            ("detail", _("Detail")),
        ],
        {"outcome": labelled({k.value: v for k, v in OUTCOME_LABELS.items()})},
    )
    if not ctx.output.as_json:
        matched = sum(1 for r in results if r.ok)
        ctx.output.stream.write(
            translate(
                plural(
                    len(results),
                    N_("{ok} of {total} scan matched or already closed."),
                    N_("{ok} of {total} scans matched or already closed."),
                )
            ).format(ok=matched, total=len(results))
            + "\n"
        )
    return 0 if all(r.ok for r in results) else 1
