"""What ``secretdesk --help`` and ``--version`` import (issue 9): the commands are listed from
the static table COMMAND_HELP, so no command module, service, reportlab, jsonschema or Qt is
loaded; ``--version`` alone loads not even the parser."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from secretdesk import __version__, i18n
from secretdesk.cli.main import COMMAND_HELP, COMMANDS, build_parser, command_modules

HEAVY = ("reportlab", "jsonschema", "PySide6", "secretdesk.app", "secretdesk.services")

# The installed ``secretdesk`` command runs secretdesk.__main__:main, as ``python -m`` does.
PROBE = (
    "import sys\n"
    "from secretdesk.__main__ import main\n"
    "sys.argv = ['secretdesk', *sys.argv[1:]]\n"
    "try:\n"
    "    main()\n"
    "except SystemExit as exit_:\n"
    "    code = exit_.code\n"
    "sys.stderr.write('\\n'.join(['MODULES', *sorted(sys.modules)]))\n"
    "sys.exit(code)\n"
)


def _imported(*args: str) -> tuple[str, set[str]]:
    """(what the program printed, the modules loaded) for a real ``secretdesk ARGS``."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, set(result.stderr.split("MODULES\n", 1)[1].splitlines())


def _heavy(modules: set[str]) -> list[str]:
    return sorted(n for n in modules if n.startswith(HEAVY) or ".commands_" in n)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_help_lists_every_command_without_importing_them(language: str) -> None:
    out, modules = _imported("--lang", language, "--help")
    assert _heavy(modules) == []
    for words in COMMANDS.values():
        for word in words:
            assert f"    {word} " in out
    if language == "vi":
        assert "cách dùng: secretdesk" in out


def test_version_alone_loads_neither_the_parser_nor_the_catalogue() -> None:
    out, modules = _imported("--version")
    assert out == f"SecretDesk {__version__}\n"
    assert _heavy(modules) == []
    assert not {"argparse", "secretdesk.cli", "secretdesk.i18n", "logging"} & modules


def test_version_among_other_options_is_answered_by_the_parser() -> None:
    out, modules = _imported("--lang", "en", "--version")
    assert out == f"SecretDesk {__version__}\n"
    assert _heavy(modules) == []


def test_the_help_table_says_what_each_module_registers() -> None:
    """COMMAND_HELP is the one-line help each command module gives its command."""
    i18n.set_language("en")
    for module in command_modules():
        parser = argparse.ArgumentParser()
        actions = parser.add_subparsers(dest="command")
        module.register(actions)
        registered = {action.dest: action.help for action in actions._choices_actions}
        name = module.__name__.rsplit(".", 1)[1]
        assert registered == {word: COMMAND_HELP[word] for word in COMMANDS[name]}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_help_from_the_table_reads_as_help_from_the_modules(language: str) -> None:
    i18n.set_language(language)
    assert build_parser(["--help"]).format_help() == build_parser().format_help()
    assert build_parser(["typo"]).format_usage() == build_parser().format_usage()
