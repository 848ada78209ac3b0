"""argparse's own messages ("the following arguments are required") in the clerk's language.

argparse translates its messages through the ``gettext`` module's ``_`` and ``ngettext``,
looked up in its module namespace each time a message is made. ``install()`` points both at
SecretDesk's catalogue, so usage errors and help read in Vietnamese like everything else.
The ids below are argparse's own (Python 3.11 and later); they are listed here so that the
catalogue test sees them.
"""

from __future__ import annotations

import argparse

from secretdesk.i18n import N_, current_language, translate

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("%(prog)s: error: %(message)s\n"),
)


# The names argparse gives positional arguments in usage lines and errors ("the following
# arguments are required: number") are their destinations, English words: in Vietnamese they
# are named in Vietnamese.
ARGUMENT_NAMES = {
    "approver": N_("argument name: approver"),
    "backup": N_("argument name: backup"),
    "case": N_("argument name: case"),
    "code": N_("argument name: code"),
    "copy": N_("argument name: copy"),
    "draft": N_("argument name: draft"),
    "file": N_("argument name: file"),
    "folders": N_("argument name: folders"),
    "handover": N_("argument name: handover"),
    "head": N_("argument name: head"),
    "id": N_("argument name: id"),
    "item": N_("argument name: item"),
    "kind": N_("argument name: kind"),
    "level": N_("argument name: level"),
    "number": N_("argument name: number"),
    "package": N_("argument name: package"),
    "permit": N_("argument name: permit"),
    "post": N_("argument name: post"),
    "ref": N_("argument name: ref"),
    "files": N_("argument name: files"),
    "request": N_("argument name: request"),
    "unit_pub": N_("argument name: unit_pub"),
    "username": N_("argument name: username"),
}


def name_positionals(parser: argparse.ArgumentParser) -> None:
    """Give every positional argument of ``parser`` and its subcommands its Vietnamese name
    when the language is not English (English keeps argparse's own names)."""
    if current_language() == "en":
        return
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                name_positionals(sub)
        elif not action.option_strings and action.dest in ARGUMENT_NAMES:
            action.metavar = translate(ARGUMENT_NAMES[action.dest])


def _ngettext(singular: str, plural: str, count: int) -> str:
    return translate(singular if count == 1 else plural)


def install() -> None:
    """Route argparse's messages through the current language (idempotent)."""
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]
