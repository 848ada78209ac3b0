"""Positional arguments are named in the clerk's language in usage lines and errors (issue 17)."""

from __future__ import annotations

import argparse

from secretdesk import i18n
from secretdesk.cli.argparse_language import ARGUMENT_NAMES
from secretdesk.cli.main import build_parser
from tests.helpers import run_cli


def positionals(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found.extend(positionals(sub))
        elif not action.option_strings:
            found.append(action)
    return found


def test_every_positional_argument_has_a_vietnamese_name() -> None:
    i18n.set_language("en")
    dests = {action.dest for action in positionals(build_parser(["--help"]))}
    assert dests - {"command", "action"} <= set(ARGUMENT_NAMES), dests - set(ARGUMENT_NAMES)


def test_a_missing_positional_is_named_in_the_users_language() -> None:
    vi = run_cli("--lang", "vi", "handover", "receipt")
    assert vi.returncode == 2
    assert "còn thiếu các tham số bắt buộc sau: số, --received-by, --at" in vi.stderr
    assert "number" not in vi.stderr
    en = run_cli("--lang", "en", "handover", "receipt")
    assert "the following arguments are required: number, --received-by, --at" in en.stderr
