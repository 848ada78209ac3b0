"""draft add|list|supersede|finalise|destroy"""

from __future__ import annotations

import argparse
from typing import Any

from secretdesk.cli import parsing
from secretdesk.cli.commands_register import add_registration_options, registration_from
from secretdesk.cli.context import CliContext
from secretdesk.cli.output import level_label
from secretdesk.domain.drafts import Draft
from secretdesk.domain.items import Direction
from secretdesk.i18n import _
from secretdesk.services.drafts import STATUS_LABELS
from secretdesk.services.registry import book_label

STATUSES = ("working", "superseded", "finalised", "destroyed")


def register(commands: Any) -> None:
    draft = commands.add_parser("draft", help=_("drafts of outgoing items (dự thảo)"))
    sub = draft.add_subparsers(dest="draft_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help=_("record a new draft; it gets the next number"))
    add.add_argument("--title", required=True)
    add.add_argument("--level", required=True, type=parsing.level, help=_("proposed level"))
    add.add_argument("--drafter", default="")
    add.add_argument("--computer", default="", help=_("default: this computer"))
    add.set_defaults(handler=run_add)
    listing = sub.add_parser("list", help=_("list drafts"))
    listing.add_argument("--status", choices=STATUSES)
    listing.set_defaults(handler=run_list)
    supersede = sub.add_parser("supersede", help=_("a new version replaces a working draft"))
    supersede.add_argument("draft", type=int)
    supersede.add_argument("--title", default="")
    supersede.add_argument("--level", type=parsing.level)
    supersede.add_argument("--computer", default="")
    supersede.set_defaults(handler=run_supersede)
    finalise = sub.add_parser("finalise", help=_("register the outgoing item made from a draft"))
    finalise.add_argument("draft", type=int)
    add_registration_options(finalise)
    finalise.set_defaults(handler=run_finalise)
    destroy = sub.add_parser("destroy", help=_("record that a draft was destroyed"))
    destroy.add_argument("draft", type=int)
    destroy.add_argument("--method", required=True)
    destroy.set_defaults(handler=run_destroy)


def _row(draft: Draft) -> dict[str, Any]:
    data = draft.to_json()
    data["status_label"] = _(STATUS_LABELS[draft.status])
    return data


def _columns() -> list[tuple[str, str]]:
    return [
        ("id", "#"),
        ("number", _("Number")),
        ("title", _("Title")),
        ("version", "v"),
        ("proposed_level", _("Level")),
        ("status_label", _("Status")),
        ("computer", _("Computer")),
    ]


def run_add(args: argparse.Namespace, ctx: CliContext) -> int:
    draft = ctx.unlock().drafts.add(
        args.title, args.level, drafter=args.drafter, computer=args.computer
    )
    ctx.output.result(
        _row(draft), _("Draft {number} recorded (#{id}).").format(number=draft.label, id=draft.id)
    )
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.output.table(
        [_row(d) for d in ctx.unlock().drafts.list(args.status)],
        _columns(),
        {"proposed_level": level_label},
    )
    return 0


def run_supersede(args: argparse.Namespace, ctx: CliContext) -> int:
    draft = ctx.unlock().drafts.supersede(
        args.draft, title=args.title, level=args.level, computer=args.computer
    )
    ctx.output.result(
        _row(draft), _("Draft {number} recorded (#{id}).").format(number=draft.label, id=draft.id)
    )
    return 0


def run_finalise(args: argparse.Namespace, ctx: CliContext) -> int:
    item = ctx.unlock().drafts.finalise(args.draft, registration_from(args, Direction.OUTGOING))
    ctx.output.result(
        item.to_json(),
        _("Registered as {kind} {number}/{year} (item #{id}).").format(
            kind=book_label(item.book_kind),
            number=item.number,
            year=item.year,
            id=item.id,
        ),
    )
    return 0


def run_destroy(args: argparse.Namespace, ctx: CliContext) -> int:
    draft = ctx.unlock().drafts.destroy(args.draft, args.method)
    ctx.output.result(_row(draft), _("Draft {number} destroyed.").format(number=draft.label))
    return 0
