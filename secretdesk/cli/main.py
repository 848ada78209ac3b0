"""The CLI: global options, the command table, running a command, errors as exit codes.

Exit 0 on success, 1 on a refusal or a user error (message on stderr in the chosen
language, never a traceback), 2 on usage errors.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING

from secretdesk import __version__, i18n, log
from secretdesk.cli import argparse_language
from secretdesk.errors import InternalError, SecretDeskError, UsageError
from secretdesk.i18n import N_, LazyText, _
from secretdesk.system.clock import Clock

if TYPE_CHECKING:
    from secretdesk.cli.context import CliContext

# The module that registers each command, in the order of ``--help``. Only the module of the
# command being run is imported (with the services, reportlab or jsonschema it needs), so
# ``--version`` and a light command start fast; ``--help`` and an unknown command list the
# commands from COMMAND_HELP below and import none of them.
COMMANDS: dict[str, tuple[str, ...]] = {
    "commands_vault": ("init", "passwd", "recover", "rekey", "self-test", "backup", "restore"),
    "commands_register": ("user", "book", "entry", "item", "copy", "handover"),
    "commands_drafts": ("draft",),
    "commands_lifecycle": ("permit", "destroy", "level", "incident", "inventory", "muster"),
    "commands_report": ("report",),
    "commands_export": ("export", "verify", "office", "unit-key"),
    "commands_demo": ("demo",),
    "commands_audit": ("audit",),
    "commands_legal": ("approver",),
    "commands_attach": ("attach",),
}
# One line per command for ``--help`` and an unknown command, so that listing the commands
# imports none of their modules (the same text each module registers; a test compares them).
COMMAND_HELP: dict[str, str] = {
    "init": N_("create the vault, the unit key and the admin"),
    "passwd": N_("change your passphrase"),
    "recover": N_("set a new passphrase with the printed recovery code"),
    "rekey": N_("new data key, every key slot sealed again, a new recovery code (countersigned)"),
    "self-test": N_("check encryption, settings, integrity and the audit chain"),
    "backup": N_("copy the encrypted vault (database and key file) into a folder"),
    "restore": N_("put a backup back in place of the vault (the vault is kept aside)"),
    "user": N_("user accounts"),
    "book": N_("register books"),
    "entry": N_("register entries"),
    "item": N_("items in the registers"),
    "copy": N_("reproductions (sao, chụp)"),
    "handover": N_("numbered handovers and receipts"),
    "draft": N_("drafts of outgoing items (dự thảo)"),
    "permit": N_("take-out permits and provision to another body"),
    "destroy": N_("destruction of copies"),
    "level": N_("classification changes and expiry"),
    "incident": N_("loss, leak, tampering"),
    "inventory": N_("every copy with its state and holder at a date"),
    "muster": N_("record a physical count and list the discrepancies"),
    "report": N_("print a form or register to PDF"),
    "export": N_("write a signed report package for the supervising office"),
    "verify": N_("verify a signed report package (no vault needed)"),
    "office": N_("the supervising office: pin unit keys, import packages, consolidate"),
    "unit-key": N_("the unit's signing key: rotate it (countersigned)"),
    "demo": N_("create a demo vault holding a year of realistic work (not for real use)"),
    "audit": N_("the audit log"),
    "approver": N_("the posts that may approve (Article 11)"),
    "attach": N_("scans of signed slips and minutes, kept in the vault"),
}
# Global options that take a value: the word after them is not the command.
_VALUE_OPTIONS = ("--data-dir", "--lang", "--user", "--passphrase-fd")

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: {message}\n")
        raise SystemExit(EXIT_USAGE)


def command_word(argv: Sequence[str]) -> str | None:
    """The command named on the line (the first word that is not a global option)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _VALUE_OPTIONS:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def command_modules(argv: Sequence[str] | None = None) -> list[ModuleType]:
    """The command modules to import for ``argv``: all of them when ``argv`` is None; the
    module of the command named; none for ``--version`` or the graphical program. Listing the
    commands (``--help``, an unknown command) imports only the modules whose commands have no
    line in COMMAND_HELP."""
    names = list(COMMANDS)
    if argv is not None:
        word = command_word(argv)
        wanted = [name for name, words in COMMANDS.items() if word in words]
        if wanted:
            names = wanted
        elif _lists_commands(argv):
            names = [name for name in COMMANDS if not _described(name)]
        else:
            names = []  # the graphical program, or --version: no command to build
    return [importlib.import_module(f"secretdesk.cli.{name}") for name in names]


def _lists_commands(argv: Sequence[str]) -> bool:
    """Whether ``argv`` names no known command but needs them listed (help, a wrong word)."""
    word = command_word(argv)
    if any(word in words for words in COMMANDS.values()):
        return False
    return word is not None or bool({"-h", "--help"} & set(argv))


def _described(module: str) -> bool:
    return all(word in COMMAND_HELP for word in COMMANDS[module])


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    argparse_language.install()
    parser = _Parser(
        prog="secretdesk",
        description=_("SecretDesk: custody register for classified documents, offline."),
    )
    parser.add_argument("--version", action="version", version=f"SecretDesk {__version__}")
    parser.add_argument("--data-dir", help=_("folder of the vault (default: per-user data)"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("language: vi or en"))
    parser.add_argument("--json", action="store_true", help=_("print results as JSON"))
    parser.add_argument("--user", help=_("user name to unlock the vault with"))
    parser.add_argument(
        "--passphrase-fd", type=int, metavar="N", help=_("read passphrases from file descriptor N")
    )
    parser.add_argument(
        "--demo", action="store_true", help=_("open the graphical program on a demo vault")
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    loaded = {module.__name__.rsplit(".", 1)[1]: module for module in command_modules(argv)}
    listing = argv is not None and _lists_commands(argv)
    for name, words in COMMANDS.items():
        if name in loaded:
            loaded[name].register(commands)
        elif listing:  # the commands' names and lines only: their options are not needed
            for word in words:
                commands.add_parser(word, help=_(COMMAND_HELP[word]))
    argparse_language.name_positionals(parser)
    return parser


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """The program's entry (secretdesk/entry.py): set up once, then this CLI or the GUI. The
    tests run the CLI in-process through it with a fixed ``clock``."""
    from secretdesk.entry import main as entry_main

    return entry_main(argv, clock=clock)


def run_command(args: argparse.Namespace, clock: Clock | None = None) -> int:
    """Run the command parsed into ``args``; errors become messages and exit codes."""
    from secretdesk.cli.context import CliContext

    ctx = CliContext.from_args(args, clock)
    try:
        return int(args.handler(args, ctx) or EXIT_OK)
    except UsageError as error:
        return _fail(ctx, error, EXIT_USAGE)
    except SecretDeskError as error:
        return _fail(ctx, error, EXIT_REFUSED)
    except KeyboardInterrupt:
        return _fail(ctx, UsageError(detail=_("Interrupted; nothing was saved.")), EXIT_REFUSED)
    except Exception as error:  # a bug: log it, show a message, never a traceback
        from secretdesk.services.damage import as_vault_error

        told = as_vault_error(error, getattr(ctx, "data_dir", None))
        if told is not None:  # damage met after opening, or a lock held by another program
            logging.getLogger("secretdesk").error("%s: %s", told.code, error)
            return _fail(ctx, told, EXIT_REFUSED)
        logging.getLogger("secretdesk").exception("unexpected error")
        detail = LazyText(
            N_("{error}; the details are in {path}"),
            error=type(error).__name__,
            path=str(log.log_dir() / "secretdesk.log"),
        )
        return _fail(ctx, InternalError(detail=detail), EXIT_REFUSED)
    finally:
        ctx.close()


def _fail(ctx: CliContext, error: SecretDeskError, code: int) -> int:
    message = error.render()
    sys.stderr.write(_("Error: {message}").format(message=message) + "\n")
    if ctx.output.as_json:
        payload = {"error": {"code": error.code, "message": message}}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    return code
