"""demo --to DIR: a throw-away vault holding a year of realistic work, to try things on."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from secretdesk.cli.context import CliContext
from secretdesk.cli.output import level_label
from secretdesk.cli.parsing import iso_date
from secretdesk.demo_vault import DEMO_PASSPHRASE, create_demo
from secretdesk.domain.roles import Role
from secretdesk.i18n import N_, _, plural, translate


def register(commands: Any) -> None:
    demo = commands.add_parser(
        "demo", help=_("create a demo vault holding a year of realistic work (not for real use)")
    )
    demo.add_argument("--to", required=True, type=Path, help=_("folder of the new demo vault"))
    demo.add_argument(
        "--until",
        type=iso_date,
        metavar="DATE",
        help=_(
            "last day of the demo's work (default: yesterday); the same day gives the same vault"
        ),
    )
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.keep(create_demo(args.to, ctx.clock, until=args.until))
    users = [actor.to_json() for actor in opened.users.list()]
    items = len(opened.items.search(limit=100_000))
    data = {
        "data_dir": str(args.to),
        "passphrase": DEMO_PASSPHRASE,
        "users": users,
        "items": items,
        "audit_ok": opened.audit.verify().ok,
    }
    if ctx.output.as_json:
        ctx.output.result(data)
        return 0
    ctx.output.result(
        None,
        "\n".join(
            [
                translate(
                    plural(
                        items,
                        N_("Demo vault created in {path} with {count} item."),
                        N_("Demo vault created in {path} with {count} items."),
                    )
                ).format(path=args.to, count=items),
                _("Every demo user has the passphrase: {passphrase}").format(
                    passphrase=DEMO_PASSPHRASE
                ),
                _("Open it with: secretdesk --data-dir {path} --user USER ...").format(
                    path=args.to
                ),
                "",
            ]
        ),
    )
    ctx.output.table(
        users,
        [
            ("username", _("User")),
            ("full_name", _("Full name")),
            ("role", _("Role")),
            ("max_level", _("Approves up to")),
        ],
        {"role": lambda v: Role(v).label(), "max_level": level_label},
    )
    return 0
