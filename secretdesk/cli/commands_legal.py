"""approver posts, approver set, approver list: who may approve (Law 2018 / 2025 Art. 11)."""

from __future__ import annotations

import argparse
from typing import Any

from secretdesk.cli import parsing
from secretdesk.cli.context import CliContext
from secretdesk.i18n import _, current_language
from secretdesk.services.approvers import HOW_TO_SET


def register(commands: Any) -> None:
    approver = commands.add_parser("approver", help=_("the posts that may approve (Article 11)"))
    sub = approver.add_subparsers(dest="approver_command", metavar="ACTION", required=True)
    posts = sub.add_parser("posts", help=_("the posts the law in force names, by level"))
    posts.set_defaults(handler=run_posts)
    assign = sub.add_parser("set", help=_("give an approver their post"))
    assign.add_argument("username", metavar="USER")
    assign.add_argument("post", help=_("a post code from 'approver posts'"))
    parsing.add_approver_options(assign, required=False)
    assign.set_defaults(handler=run_set)
    listing = sub.add_parser("list", help=_("the approvers' posts"))
    listing.set_defaults(handler=run_list)


def run_posts(args: argparse.Namespace, ctx: CliContext) -> int:
    language = current_language()
    opened = ctx.unlock()
    foreign_only = opened.approvers.foreign_only()
    rows = [
        {
            "code": post.code,
            "level": post.level.value,
            "level_label": post.level.label(language),
            "post": post.label().render(language),
            "confirmed": post.confirmed,
            "foreign_only": post in foreign_only,
        }
        for post in opened.approvers.available()
    ]
    ctx.output.table(
        rows,
        [
            ("code", _("Code")),
            ("level_label", _("Up to level")),
            ("post", _("Post")),
            ("confirmed", _("Read in the article")),
            ("foreign_only", _("Only Article 16")),
        ],
    )
    if not ctx.output.as_json:  # how to give posts, and whether the unit has yet
        gap = opened.approvers.gap()
        how = _("Give each approver their post: {how}").format(how=_(HOW_TO_SET))
        ctx.output.result(None, how if gap is None else gap.render())
    return 0


def run_set(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    approver = parsing.countersign(args, ctx, opened) if args.approver else None
    row = opened.approvers.assign(args.username, args.post, approver)
    assert row.known is not None
    ctx.output.result(
        {"user": row.username, "post": row.post, "level": row.known.level.value},
        _("{user} now holds the post {post}.").format(
            user=row.username, post=row.known.label().render()
        ),
    )
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = [
        {
            "user": row.username,
            "post": row.post,
            "label": row.known.label().render()
            if row.known
            else _("not named by the law in force"),
            "level": row.known.level.value if row.known else None,
        }
        for row in ctx.unlock().approvers.list()
    ]
    ctx.output.table(rows, [("user", _("User")), ("post", _("Code")), ("label", _("Post"))])
    return 0
