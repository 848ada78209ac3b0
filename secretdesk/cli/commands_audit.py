"""audit verify, audit list."""

from __future__ import annotations

import argparse
from typing import Any

from secretdesk.cli.context import CliContext
from secretdesk.domain import dates
from secretdesk.i18n import _


def register(commands: Any) -> None:
    audit = commands.add_parser("audit", help=_("the audit log"))
    sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help=_("recompute the chain; name the first bad event"))
    verify.set_defaults(handler=run_verify)
    listing = sub.add_parser("list", help=_("show the latest events"))
    listing.add_argument("--limit", type=int, default=50, help=_("how many events"))
    listing.add_argument("--action", help=_("only actions starting with this text"))
    listing.set_defaults(handler=run_list)


def run_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    result = ctx.unlock().audit.verify()
    data = {
        "ok": result.ok,
        "events": result.events,
        "head": str(result.head),
        "first_bad_seq": result.first_bad_seq,
        "reason": result.reason,
    }
    if result.ok:
        text = _("Audit chain intact: {count} events, head {head}.").format(
            count=result.events, head=result.head
        )
    else:
        text = _("Audit chain BROKEN at event {seq}: {reason}.").format(
            seq=result.first_bad_seq, reason=result.reason
        )
    ctx.output.result(data, text)
    return 0 if result.ok else 1


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    events = ctx.unlock().audit.events(limit=args.limit, action_prefix=args.action)
    rows = [
        {
            "seq": e.seq,
            "at_utc": e.at_utc,
            "actor": e.actor,
            "action": e.action,
            "entity": f"{e.entity}:{e.entity_id}" if e.entity_id else e.entity,
            "detail": e.detail_json,
            "hash": e.hash,
        }
        for e in events
    ]
    ctx.output.table(
        rows,
        [
            ("seq", "#"),
            ("at_utc", _("Time")),
            ("actor", _("User")),
            ("action", _("Action")),
            ("entity", _("Object")),
            ("detail", _("Detail")),
        ],
        {"at_utc": dates.local_minute},
    )
    return 0
