"""item import: bring the unit's old registers (CSV or .xlsx) in, all rows or none."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from secretdesk.cli.context import CliContext
from secretdesk.domain.import_columns import FIELDS, field_label, parse_mapping
from secretdesk.domain.items import Direction
from secretdesk.i18n import N_, _, plural, render_value, translate
from secretdesk.services.registry import entry_text

if TYPE_CHECKING:
    from secretdesk.services.importer import ImportReport


def add_import_command(item_subparsers: Any) -> None:
    """Called by commands_register._items with the subparsers of ``item``."""
    command = item_subparsers.add_parser(
        "import", help=_("import an old register (CSV or .xlsx): every row or none")
    )
    command.add_argument("file", type=Path, help=_("the CSV or .xlsx file"))
    command.add_argument("--book", required=True, choices=[d.value for d in Direction])
    command.add_argument(
        "--mapping",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help=_(
            "read a column as a field (a heading or a letter; FIELD - to skip); fields: {fields}"
        ).format(fields=", ".join(FIELDS)),
    )
    command.add_argument("--dry-run", action="store_true", help=_("check every row; store nothing"))
    command.set_defaults(handler=run_item_import)


def run_item_import(args: argparse.Namespace, ctx: CliContext) -> int:
    mapping = parse_mapping(args.mapping)
    opened = ctx.unlock()
    report = opened.importer.import_file(  # openpyxl: loaded only for this command
        args.file, Direction(args.book), mapping=mapping, dry_run=args.dry_run
    )
    if ctx.output.as_json:
        ctx.output.result(_as_json(report))
        return 0 if report.ok else 1
    lines = [
        translate(
            plural(
                report.rows,
                N_("{file}: {format}, headings on row {row}, {count} data row."),
                N_("{file}: {format}, headings on row {row}, {count} data rows."),
            )
        ).format(
            file=report.source,
            format=report.file_format,
            row=report.heading_row,
            count=report.rows,
        )
    ]
    lines += [
        _("  column {column} -> {field}").format(
            column=column, field=f"{field_label(name)} ({name})"
        )
        for column, name in report.mapping
    ]
    if report.ignored:
        lines.append(_("  not imported: {columns}").format(columns="; ".join(report.ignored)))
    lines += [_("Warning: {message}").format(message=w.text()) for w in report.warnings]
    ctx.output.result(None, "\n".join(lines))
    if not report.ok:
        raise report.refusal()
    if report.dry_run:
        text = translate(
            plural(
                report.rows,
                N_("The {count} row can be imported (dry run: nothing was stored)."),
                N_("All {count} rows can be imported (dry run: nothing was stored)."),
            )
        )
        ctx.output.result(None, text.format(count=report.rows))
    elif report.imported:
        text = translate(
            plural(
                len(report.imported),
                N_("Imported {count} item: {first} to {last}."),
                N_("Imported {count} items: {first} to {last}."),
            )
        )
        ctx.output.result(
            None,
            text.format(
                count=len(report.imported),
                first=render_value(entry_text(report.first_entry)),
                last=render_value(entry_text(report.last_entry)),
            ),
        )
    else:
        ctx.output.result(None, _("The file has no data rows; nothing was imported."))
    return 0


def _as_json(report: ImportReport) -> dict[str, Any]:
    def problems(found: list[Any]) -> list[dict[str, Any]]:
        return [{"row": p.row, "column": p.column, "message": p.text().render()} for p in found]

    return {
        "ok": report.ok,
        "dry_run": report.dry_run,
        "file": report.source,
        "format": report.file_format,
        "heading_row": report.heading_row,
        "rows": report.rows,
        "mapping": dict(report.mapping),
        "ignored": report.ignored,
        "problems": problems(report.problems),
        "warnings": problems(report.warnings),
        "imported": report.imported,
        "first": report.first_entry,
        "last": report.last_entry,
    }
