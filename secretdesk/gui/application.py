"""Start the graphical program: ``secretdesk`` with no command calls ``run_gui``."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from secretdesk import __version__, i18n
from secretdesk.gui import style
from secretdesk.gui.binding_check import drops_none_references
from secretdesk.gui.controller import GuiController
from secretdesk.gui.preferences import Preferences, default_path
from secretdesk.gui.tasks import TaskRunner
from secretdesk.i18n import N_, _
from secretdesk.paths import default_data_dir
from secretdesk.system.netguard import NetworkGuard

log = logging.getLogger("secretdesk.gui")

BROKEN_BINDING = N_(
    "The installed Qt for Python (PySide6 {version}) is known to crash with this Python "
    "version. Install a fixed PySide6 (for example 6.11); nothing was opened."
)


# Set to 1 to quit as soon as the first window (setup or unlock) is shown: packaging measures
# the start-up time of the installed program with it (packaging/ci-frozen.sh).
EXIT_WHEN_SHOWN_VARIABLE = "SECRETDESK_EXIT_WHEN_SHOWN"


def choose_language(args: argparse.Namespace, preferences: Preferences) -> None:
    """--lang, then SECRETDESK_LANG (already applied by the CLI), then the saved choice."""
    if getattr(args, "lang", None) in i18n.LANGUAGES:
        i18n.set_language(args.lang)
    elif not os.environ.get("SECRETDESK_LANG") and preferences.language:
        i18n.set_language(preferences.language)


def _quit_on_signals(controller: GuiController) -> dict[int, Any]:
    """Ctrl+C or a logout's SIGTERM closes the vault cleanly instead of killing it mid-write.

    Python handles signals only when it runs, so a timer wakes it a few times a second.
    """

    def stop(_signum: int, _frame: object) -> None:
        controller.shutdown()

    previous: dict[int, Any] = {}
    for number in (signal.SIGINT, signal.SIGTERM):
        previous[number] = signal.signal(number, stop)
    wake = QTimer(controller)
    wake.timeout.connect(lambda: None)
    wake.start(250)
    return previous


def make_demo_dir() -> Path:
    """A fresh private folder for the throw-away demo vault (removed at exit)."""
    return Path(tempfile.mkdtemp(prefix="secretdesk-demo-"))


def run_gui(args: argparse.Namespace, guard: NetworkGuard | None) -> int:
    if drops_none_references():
        sys.stderr.write(_(BROKEN_BINDING).format(version=PySide6.__version__) + "\n")
        return 1
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("SecretDesk")
    qapp.setApplicationVersion(__version__)
    qapp.setQuitOnLastWindowClosed(False)  # the controller quits; windows come and go
    style.apply(qapp)
    preferences = Preferences(default_path())
    choose_language(args, preferences)

    demo_dir: Path | None = None
    if getattr(args, "demo", False):
        demo_dir = make_demo_dir()
        data_dir = demo_dir
    else:
        data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()

    runner = TaskRunner()
    controller = GuiController(
        qapp,
        runner,
        data_dir,
        preferences=preferences,
        guard=guard,
        username=getattr(args, "user", None),
        demo=demo_dir is not None,
    )
    controller.finished.connect(qapp.quit)
    previous_handlers = _quit_on_signals(controller)
    try:
        if demo_dir is not None:
            controller.start_demo()
        else:
            controller.start()
        if os.environ.get(EXIT_WHEN_SHOWN_VARIABLE) == "1":
            QTimer.singleShot(0, controller.shutdown)
        qapp.exec()
    finally:
        controller.shutdown()
        for number, handler in previous_handlers.items():
            signal.signal(number, handler)
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)
    return 0
