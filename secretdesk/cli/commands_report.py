"""report slip|labels|register|annual|minutes|inventory|permit --out FILE.pdf"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from secretdesk.cli import parsing
from secretdesk.cli.commands_lifecycle import case_id
from secretdesk.cli.context import CliContext
from secretdesk.i18n import _
from secretdesk.services.files import save_private


def register(commands: Any) -> None:
    report = commands.add_parser("report", help=_("print a form or register to PDF"))
    sub = report.add_subparsers(dest="report_command", metavar="DOCUMENT", required=True)

    slip = sub.add_parser("slip", help=_("receipt slip of a handover"))
    slip.add_argument("handover", type=int)
    slip.add_argument("--year", type=int)
    _reprint_option(slip)
    _out(slip, run_slip)

    labels = sub.add_parser("labels", help=_("envelope labels of a handover, or copy labels"))
    group = labels.add_mutually_exclusive_group(required=True)
    group.add_argument("--handover", type=int)
    group.add_argument("--item", type=int, help=_("copy labels of an item's reproductions"))
    labels.add_argument("--year", type=int)
    _reprint_option(labels)
    _out(labels, run_labels)

    book = sub.add_parser("register", help=_("a register book with its cover page"))
    book.add_argument(
        "kind",
        choices=("outgoing", "incoming", "internal", "copies", "handovers", "destruction"),
    )
    book.add_argument("--year", type=int, required=True)
    book.add_argument("--volume", type=int)
    _out(book, run_register)

    listing = sub.add_parser(
        "statistics", help=_("items received and issued, by time and level (Article 12)")
    )
    listing.add_argument("--period", type=int, required=True, help=_("the report's year"))
    _out(listing, run_statistics)
    annual = sub.add_parser("annual", help=_("annual statistics report"))
    annual.add_argument("--period", type=int, required=True, help=_("the report's year"))
    annual.add_argument("--situation", default="", help=_("part I: the situation (text)"))
    annual.add_argument(
        "--results", default="", help=_("part II: results, strengths, limits and lessons (text)")
    )
    annual.add_argument("--forecast", default="", help=_("part IV: forecast and proposals (text)"))
    _out(annual, run_annual)

    minutes = sub.add_parser("minutes", help=_("destruction minutes of a case"))
    minutes.add_argument("case", help=_("case: register number N/YYYY or internal id"))
    _reprint_option(minutes)
    _out(minutes, run_minutes)

    inventory = sub.add_parser("inventory", help=_("every copy, its state and holder at a date"))
    inventory.add_argument("--at", type=parsing.iso_date, required=True)
    _out(inventory, run_inventory)

    permit = sub.add_parser("permit", help=_("take-out permit"))
    permit.add_argument("permit", type=int)
    _out(permit, run_permit)


def _reprint_option(parser: Any) -> None:
    parser.add_argument(
        "--reprint",
        action="store_true",
        help=_("reproduce the first print byte for byte (checked against its recorded SHA-256)"),
    )


def _out(parser: Any, handler: Any) -> None:
    parser.add_argument("--out", required=True, type=Path, help=_("the PDF file to write"))
    parser.set_defaults(handler=handler)


def _write(ctx: CliContext, path: Path, pdf: bytes) -> int:
    save_private(path, pdf)
    ctx.output.result(
        {"out": str(path), "bytes": len(pdf)},
        _("Written: {path} ({size} bytes).").format(path=path, size=len(pdf)),
    )
    return 0


def _year(args: argparse.Namespace, opened: Any) -> int:
    return int(args.year or opened.ctx.today().year)


def run_slip(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    pdf = opened.printing.slip(_year(args, opened), args.handover, reprint=args.reprint)
    return _write(ctx, args.out, pdf)


def run_labels(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    if args.item is not None:
        return _write(ctx, args.out, opened.printing.copy_labels(args.item, reprint=args.reprint))
    pdf = opened.printing.envelope_labels(_year(args, opened), args.handover, reprint=args.reprint)
    return _write(ctx, args.out, pdf)


def run_register(args: argparse.Namespace, ctx: CliContext) -> int:
    pdf = ctx.unlock().printing.register(args.kind, args.year, args.volume)
    return _write(ctx, args.out, pdf)


def run_statistics(args: argparse.Namespace, ctx: CliContext) -> int:
    return _write(ctx, args.out, ctx.unlock().printing.statistics_list(args.period))


def run_annual(args: argparse.Namespace, ctx: CliContext) -> int:
    pdf = ctx.unlock().printing.annual(
        args.period, situation=args.situation, results=args.results, forecast=args.forecast
    )
    return _write(ctx, args.out, pdf)


def run_minutes(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    pdf = opened.printing.minutes(case_id(opened, args.case), reprint=args.reprint)
    return _write(ctx, args.out, pdf)


def run_inventory(args: argparse.Namespace, ctx: CliContext) -> int:
    return _write(ctx, args.out, ctx.unlock().printing.inventory(args.at))


def run_permit(args: argparse.Namespace, ctx: CliContext) -> int:
    return _write(ctx, args.out, ctx.unlock().printing.permit(args.permit))
