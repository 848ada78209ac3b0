"""Argument types shared by the CLI commands (dates, id lists, levels, countersignatures)."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from secretdesk.app import App
from secretdesk.cli.context import CliContext
from secretdesk.cli.secrets_input import SecretSource
from secretdesk.domain.errors import InvalidLevel
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor
from secretdesk.i18n import _


def iso_date(text: str) -> date:
    """YYYY-MM-DD, or DD/MM/YYYY as Vietnamese clerks write it."""
    for parse in (date.fromisoformat, lambda t: datetime.strptime(t, "%d/%m/%Y").date()):
        try:
            return parse(text.strip())
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(
        _("not a date (YYYY-MM-DD or DD/MM/YYYY): {text}").format(text=text)
    )


def iso_datetime(text: str) -> datetime:
    """A date and a time; a date alone is refused where the time is written on a form."""
    moment = iso_moment(text)
    if not isinstance(moment, datetime):
        raise argparse.ArgumentTypeError(
            _("give the time as well (YYYY-MM-DDTHH:MM): {text}").format(text=text)
        )
    return moment


def iso_moment(text: str) -> datetime | date:
    """A date and a time, or a date alone meaning "that day" (never stored as 00:00)."""
    cleaned = text.strip()
    if len(cleaned) == 10:
        return iso_date(cleaned)
    for parse in (
        datetime.fromisoformat,
        lambda t: datetime.strptime(t, "%d/%m/%Y %H:%M"),
    ):
        try:
            return parse(cleaned)
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(
        _("not a date and time (YYYY-MM-DDTHH:MM): {text}").format(text=text)
    )


def positive_int(text: str) -> int:
    """A whole number of at least 1 (a --limit)."""
    try:
        value = int(text.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("not a whole number of at least 1: {text}").format(text=text)
        )
    return value


def id_list(text: str) -> list[int]:
    """ "3,4,7-9" -> [3, 4, 7, 8, 9]."""
    ids: list[int] = []
    try:
        for part in text.split(","):
            part = part.strip()
            if "-" in part:
                low, high = (int(x) for x in part.split("-", 1))
                ids.extend(range(low, high + 1))
            elif part:
                ids.append(int(part))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a list of numbers: {text}").format(text=text)
        ) from None
    if not ids or any(i < 1 for i in ids):
        raise argparse.ArgumentTypeError(_("not a list of numbers: {text}").format(text=text))
    return ids


def level(text: str) -> Level:
    try:
        return Level.parse(text)
    except InvalidLevel:
        raise argparse.ArgumentTypeError(
            _("not a level (mat, toi-mat, tuyet-mat): {text}").format(text=text)
        ) from None


def add_approver_options(parser: Any, required: bool = True) -> None:
    parser.add_argument("--approver", required=required, help=_("user name of the approver"))
    parser.add_argument(
        "--approver-passphrase-fd",
        type=int,
        metavar="N",
        help=_("read the approver's passphrase from file descriptor N"),
    )


APPROVER_VARIABLE = "SECRETDESK_APPROVER_PASSPHRASE"


def countersign(args: argparse.Namespace, ctx: CliContext, opened: App) -> Actor:
    """The approver proves their passphrase now: from ``--approver-passphrase-fd N``, else
    the next line of ``--passphrase-fd``, else SECRETDESK_APPROVER_PASSPHRASE, else a prompt."""
    if args.approver_passphrase_fd is not None:
        source = SecretSource(fd=args.approver_passphrase_fd, env_var=APPROVER_VARIABLE)
    else:
        source = ctx.secrets
    prompt = _("Passphrase of approver {user}: ").format(user=args.approver)
    return opened.users.countersign(args.approver, source.ask(prompt, env_var=APPROVER_VARIABLE))
