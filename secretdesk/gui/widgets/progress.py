"""Progress with Cancel for long work on the worker (an export, an office import).

The service records each ``Step`` on its ``services.progress.Progress`` (on the worker
thread); ``ProgressPanel`` looks at the latest one every 40 ms on the GUI thread (no signal
per step, so a batch of thousands costs the window nothing) and shows it, ``done / total``
and a Cancel button. Cancel asks the service to stop at its next safe point; the service
then answers with ``Cancelled`` (or, for an office import, an outcome per package left
untouched) and says what was kept.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from secretdesk.gui.widgets.common import label
from secretdesk.i18n import N_, _
from secretdesk.services.progress import Progress, Step

CANCEL = N_("Cancel")
CANCELLING = N_("Stopping at the next safe point…")
TOO_LATE = N_("This step can no longer be cancelled; it finishes in a moment.")
STEPS = N_("{done} of {total}")


class ProgressPanel(QWidget):
    """What a long task is doing, how far it is, and a Cancel that stops it at a safe point."""

    stepped = Signal(object)  # Step, on the GUI thread
    cancel_requested = Signal()
    INTERVAL_MS = 40

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress: Progress | None = None
        self._shown: Step | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self.poll)
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
        self.progress = Progress()
        self._shown = None
        self._timer.start()
        self.what.setText(what)
        self.bar.setRange(0, 0)
        self.bar.setFormat("")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setToolTip("")
        self.show()
        return self.progress

    def finish(self) -> None:
        self._timer.stop()
        self.progress = None
        self.hide()

    def poll(self) -> None:
        """Show the step the service reached last, if it is a new one."""
        step = self.progress.last if self.progress is not None else None
        if step is not None and step is not self._shown:
            self._shown = step
            self._show(step)

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
