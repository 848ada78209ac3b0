"""audit verify, audit list."""

from __future__ import annotations

import argparse
from typing import Any

from secretdesk.cli.context import CliContext
from secretdesk.domain import dates
from secretdesk.i18n import N_, _, plural, translate


def register(commands: Any) -> None:
    audit = commands.add_parser("audit", help=_("the audit log"))
    sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help=_("recompute the chain; name the first bad event"))
    verify.set_defaults(handler=run_verify)
    check = sub.add_parser(
        "check-head", help=_("check that today's log extends a head from a slip or package")
    )
    check.add_argument("head", metavar="HEAD", help=_("SIZE:HEX as printed"))
    check.set_defaults(handler=run_check_head)
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
        "tree_head": None if result.tree is None else str(result.tree),
    }
    if result.ok:
        text = translate(
            plural(
                result.events,
                N_("Audit chain intact: {count} event, head {head}."),
                N_("Audit chain intact: {count} events, head {head}."),
            )
        ).format(count=result.events, head=result.head)
        if result.tree is not None:
            text += "\n" + _("Audit tree head: {head} (short form {short}).").format(
                head=result.tree, short=result.tree.short()
            )
    else:
        text = _("Audit chain BROKEN at event {seq}: {reason}.").format(
            seq=result.first_bad_seq, reason=result.reason
        )
    ctx.output.result(data, text)
    return 0 if result.ok else 1


def run_check_head(args: argparse.Namespace, ctx: CliContext) -> int:
    check = ctx.unlock().audit.check_head(args.head)
    data = {
        "head": f"{check.size}:{check.given}",
        "extends": check.extends,
        "matched": check.matched or None,
        "log_ok": check.log.ok,
        "log_events": check.log.events,
        "tree_head": None if check.log.tree is None else str(check.log.tree),
        "tree_at_head": None if check.tree_then is None else str(check.tree_then),
    }
    head = f"{check.size}:{check.given}"
    if check.extends:
        text = translate(
            plural(
                check.size,
                N_(
                    "Today's log extends head {head}: its first {size} event is the one that "
                    "head signed."
                ),
                N_(
                    "Today's log extends head {head}: its first {size} events are the ones that "
                    "head signed."
                ),
            )
        ).format(head=head, size=check.size)
    elif check.log.events < check.size and check.log.ok:
        text = translate(
            plural(
                check.log.events,
                N_(
                    "Today's log does NOT extend head {head}: it holds only {count} event "
                    "(rolled back or cut)."
                ),
                N_(
                    "Today's log does NOT extend head {head}: it holds only {count} events "
                    "(rolled back or cut)."
                ),
            )
        ).format(head=head, count=check.log.events)
    else:
        text = translate(
            plural(
                check.size,
                N_(
                    "Today's log does NOT extend head {head}: its first {size} event differs "
                    "from the one that head signed (history rewritten or rolled back)."
                ),
                N_(
                    "Today's log does NOT extend head {head}: its first {size} events differ "
                    "from those that head signed (history rewritten or rolled back)."
                ),
            )
        ).format(head=head, size=check.size)
    if not check.log.ok:
        text += "\n" + _("Audit chain BROKEN at event {seq}: {reason}.").format(
            seq=check.log.first_bad_seq, reason=check.log.reason
        )
    ctx.output.result(data, text)
    return 0 if check.extends and check.log.ok else 1


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    events, hidden = ctx.unlock().audit.visible_events(limit=args.limit, action_prefix=args.action)
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
    if hidden and not ctx.output.as_json:
        # The same message as item lists (commands_register.hidden_notice), not imported:
        # a command loads only its own module.
        notice = _("Records above your clearance left out: {count}.").format(count=hidden)
        ctx.output.result(None, notice)
    return 0
