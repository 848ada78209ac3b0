"""Progress with Cancel for long work on the worker (an export, an office import).

The service reports ``Step``s through a ``services.progress.Progress`` on the worker thread;
``ProgressPanel`` hands them to the GUI thread through a queued signal (at most one every
40 ms, plus the last one and every change of cancellability) and shows the step, ``done /
total`` and a Cancel button. Cancel asks the service to stop at its next safe point; the
service then answers with ``Cancelled`` and says what was kept.
"""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from secretdesk.gui.widgets.common import label
from secretdesk.i18n import N_, _
from secretdesk.services.progress import Progress, Step

CANCEL = N_("Cancel")
CANCELLING = N_("Stopping at the next safe point…")
TOO_LATE = N_("This step can no longer be cancelled; it finishes in a moment.")
STEPS = N_("{done} of {total}")


class _Bridge(QObject):
    """Carries steps from the worker thread to the GUI thread (a queued connection)."""

    stepped = Signal(object)
    INTERVAL_S = 0.04

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sent = 0.0
        self._cancellable = True

    def report(self, step: Step) -> None:  # on the worker
        now = time.monotonic()
        urgent = step.done >= step.total or step.cancellable != self._cancellable
        if not urgent and now - self._sent < self.INTERVAL_S:
            return
        self._sent, self._cancellable = now, step.cancellable
        if shiboken6.isValid(self):  # the window may be gone; the work goes on regardless
            try:
                self.stepped.emit(step)
            except RuntimeError:
                pass


class ProgressPanel(QWidget):
    """What a long task is doing, how far it is, and a Cancel that stops it at a safe point."""

    stepped = Signal(object)  # Step, on the GUI thread
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress: Progress | None = None
        self._bridge = _Bridge(self)
        self._bridge.stepped.connect(self._show)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.what: QLabel = label("", "muted")
        layout.addWidget(self.what)
        row = QHBoxLayout()
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        row.addWidget(self.bar, 1)
        self.cancel_button = QPushButton(_(CANCEL))
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.hide()

    def start(self, what: str) -> Progress:
        """A new Progress for the next task: shown busy until its first step arrives."""
        self.progress = Progress(self._bridge.report)
        self.what.setText(what)
        self.bar.setRange(0, 0)
        self.bar.setFormat("")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setToolTip("")
        self.show()
        return self.progress

    def finish(self) -> None:
        self.progress = None
        self.hide()

    @property
    def running(self) -> bool:
        return self.progress is not None

    def cancel(self) -> None:
        if self.progress is None or not self.cancel_button.isEnabled():
            return
        self.progress.cancel()
        self.cancel_button.setEnabled(False)
        self.what.setText(_(CANCELLING))
        self.cancel_requested.emit()

    def _show(self, step: Step) -> None:
        if self.progress is None:
            return
        total = max(step.total, 1)
        self.bar.setRange(0, total)
        self.bar.setValue(min(step.done, total))
        self.bar.setFormat(_(STEPS).format(done=step.done, total=step.total))
        if not self.progress.cancelled:
            self.what.setText(step.what.render())
        if not step.cancellable:
            self.cancel_button.setEnabled(False)
            self.cancel_button.setToolTip(_(TOO_LATE))
            self.what.setText(step.what.render() + " " + _(TOO_LATE))
        self.stepped.emit(step)
