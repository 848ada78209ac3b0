"""Saving a printout: ask where (a file dialog, or a path a test injects), then render the PDF
and write it privately on the worker, and tell the page where it went."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel, QWidget

from secretdesk.gui.tasks import Runner, error_text
from secretdesk.i18n import N_, _
from secretdesk.services.files import save_private

# (parent, dialog title, suggested file name) -> where to save, or None when cancelled.
PathChooser = Callable[[QWidget, str, str], Path | None]

PDF_FILTER = N_("PDF documents (*.pdf)")
NOT_SAVED = N_("The file could not be saved: {reason}")
SAVED = N_("Saved to {path}")
PRINTING = N_("Printing…")


def ask_pdf_path(parent: QWidget, title: str, suggested: str) -> Path | None:
    """The save dialog; ``.pdf`` is added when the clerk typed a name without it."""
    name, _chosen = QFileDialog.getSaveFileName(
        parent, title, str(Path.home() / suggested), _(PDF_FILTER)
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def save_error_text(error: BaseException) -> str:
    if isinstance(error, OSError):
        return _(NOT_SAVED).format(reason=error.strerror or error)
    return error_text(error)


def render_and_save(
    runner: Runner,
    context: QWidget,
    render: Callable[[], bytes],
    path: Path,
    on_saved: Callable[[Path], None],
    on_error: Callable[[BaseException], None],
) -> None:
    """Render on the worker (the print is recorded in the audit log there) and save."""

    def work() -> Path:
        if not path.parent.is_dir():  # before printing: every print is an audit event
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path.parent))
        save_private(path, render())
        return path

    runner.submit(work, on_saved, on_error, context=context)


def print_to_file(
    runner: Runner,
    page: QWidget,
    choose_path: PathChooser,
    title: str,
    suggested: str,
    render: Callable[[], bytes],
    *,
    button: QAbstractButton,
    status: QLabel,
    on_saved: Callable[[Path], None],
    on_error: Callable[[BaseException], None],
) -> None:
    """A page's print button: ask where (``title``, ``suggested`` file name), then, greying
    ``button`` and saying "Printing…" in ``status``, render and save (``render_and_save``)."""
    path = choose_path(page, title, suggested)
    if path is None:
        return
    button.setEnabled(False)
    status.setText(_(PRINTING))
    render_and_save(runner, page, render, path, on_saved, on_error)
