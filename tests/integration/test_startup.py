"""Start-up: ``secretdesk --version`` and a light command load no heavy library (issue 16)."""

from __future__ import annotations

import argparse
import subprocess
import sys

from secretdesk.cli.main import COMMANDS, command_modules, command_word

HEAVY = ("reportlab", "jsonschema", "PySide6", "secretdesk.app", "secretdesk.services")


PROBE = (
    "import sys\n"
    "from secretdesk.cli.main import main\n"
    "main(sys.argv[1:])\n"
    "sys.stderr.write('\\n'.join(['MODULES', *sorted(sys.modules)]))\n"
)


def _imported(*args: str) -> set[str]:
    """The modules a real ``secretdesk ARGS`` process has loaded when it is done."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return set(result.stderr.split("MODULES\n", 1)[1].splitlines())


def test_version_imports_no_command_service_or_heavy_library() -> None:
    imported = _imported("--version")
    assert "secretdesk.cli.main" in imported
    loaded = sorted(n for n in imported if n.startswith(HEAVY) or ".commands_" in n)
    assert loaded == []


def test_a_command_imports_only_its_own_module() -> None:
    imported = _imported("--lang", "en", "audit", "--help")
    assert "secretdesk.cli.commands_audit" in imported
    assert not {n for n in imported if ".commands_" in n} - {"secretdesk.cli.commands_audit"}
    assert not {n for n in imported if n.startswith(("reportlab", "jsonschema", "PySide6"))}


def test_the_command_table_names_what_each_module_registers() -> None:
    for module in command_modules():
        parser = argparse.ArgumentParser()
        module.register(parser.add_subparsers(dest="command"))
        name = module.__name__.rsplit(".", 1)[1]
        assert tuple(parser._subparsers._group_actions[0].choices) == COMMANDS[name]  # type: ignore[union-attr]


def test_the_command_word_skips_global_options_and_their_values() -> None:
    assert command_word(["--data-dir", "item", "--user", "a", "item", "list"]) == "item"
    assert command_word(["--json", "--lang=en", "audit", "verify"]) == "audit"
    assert command_word(["--version"]) is None
    assert [m.__name__ for m in command_modules(["--version"])] == []
    assert command_modules(["--help"]) == []  # listed from COMMAND_HELP
    assert command_modules(["no-such-command"]) == []


def test_the_graphical_program_imports_no_service_page_or_report_before_unlocking() -> None:
    """What ``secretdesk`` loads before it can show the unlock window."""
    probe = (
        "import sys\n"
        "import secretdesk.gui.application\n"
        "sys.stdout.write('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = set(result.stdout.splitlines())
    early = sorted(
        name
        for name in loaded
        if name.startswith(("reportlab", "jsonschema", "secretdesk.gui.views"))
        or (name.startswith("secretdesk.services.") and name != "secretdesk.services.setup")
    )
    assert early == []
