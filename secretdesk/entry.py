"""The program's one entry: ``secretdesk`` and ``python -m secretdesk`` (``__main__``).

``main`` sets the process up once -- hardening (before any passphrase is read), the private
log, the network guard and the language (``--lang``, else SECRETDESK_LANG, else Vietnamese)
-- then runs the command named on the line (cli/) or, with none, the graphical program (gui/),
which it hands the network guard; the GUI applies the language saved in its preferences only
when neither ``--lang`` nor SECRETDESK_LANG chose one. The services are built by app.py once a
vault is open. ``--version`` alone needs none of this and answers at once; everything else is
imported when it is needed, so ``--help`` lists the commands without loading them.
"""

from __future__ import annotations

import os
import sys

from secretdesk import __version__

TYPE_CHECKING = False  # not typing's: importing typing would double the start of --version
if TYPE_CHECKING:
    from collections.abc import Sequence

    from secretdesk.system.clock import Clock
    from secretdesk.system.netguard import NetworkGuard


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """Run the program once; ``clock`` fixes the time (tests), by default the system's."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # needs nothing else: no parser, catalogue, log or guard
        sys.stdout.write(f"SecretDesk {__version__}\n")
        return 0
    guard = set_up(argv)
    from secretdesk.cli.main import build_parser, run_command

    try:
        args = build_parser(argv).parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command is None:
        from secretdesk.gui.application import run_gui

        return int(run_gui(args, guard))
    return run_command(args, clock)


def set_up(argv: Sequence[str]) -> NetworkGuard:
    """Hardening, the log, the network guard and the language, before anything else runs."""
    import logging

    from secretdesk import i18n, log
    from secretdesk.system import hardening, netguard

    hardening.harden_process()  # before any passphrase is read
    log.configure()
    guard = netguard.install(
        on_refused=lambda event: logging.getLogger("secretdesk").warning("refused %s", event)
    )
    language = language_of(argv)
    if language in i18n.LANGUAGES:
        i18n.set_language(language)
    return guard


def language_of(argv: Sequence[str]) -> str:
    """``--lang`` on the line, else SECRETDESK_LANG, else the default (Vietnamese)."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    from secretdesk.i18n import DEFAULT_LANGUAGE

    return os.environ.get("SECRETDESK_LANG", DEFAULT_LANGUAGE)
