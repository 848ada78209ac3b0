"""Idle auto-lock: no keyboard or mouse input for a while emits ``idle``."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.InputMethod,
    }
)


class IdleMonitor(QObject):
    """Watches every input event of ``source`` (the QApplication) while started."""

    idle = Signal()

    def __init__(self, source: QObject, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self._expired)
        self._watching = False

    @property
    def timeout_ms(self) -> int:
        return self._timer.interval()

    def set_timeout_ms(self, timeout_ms: int) -> None:
        """A new timeout, counted from now when watching."""
        self._timer.setInterval(timeout_ms)
        if self._watching:
            self._timer.start()

    @property
    def active(self) -> bool:
        return self._watching

    def start(self) -> None:
        if not self._watching:
            self._source.installEventFilter(self)
            self._watching = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._watching:
            self._source.removeEventFilter(self)
            self._watching = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self._timer.start()
        return False

    def _expired(self) -> None:
        self.stop()
        self.idle.emit()
