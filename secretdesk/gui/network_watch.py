"""Is this computer still off the network? (DESIGN.md §6)

Runs the read-only air-gap check at start and every few minutes, and collects the sockets the
process-wide network guard refused. Every window shows the result in a red banner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from secretdesk.i18n import N_, _
from secretdesk.system import airgap
from secretdesk.system.netguard import NetworkGuard

log = logging.getLogger("secretdesk.gui")

CHECK_INTERVAL_MS = 5 * 60 * 1000
REFUSED = N_("A network connection was attempted and blocked: {event}.")

AirgapCheck = Callable[[], list[airgap.Finding]]


class NetworkWatch(QObject):
    """Emits ``changed`` with the translated warnings whenever they change."""

    changed = Signal(list)
    _refused_elsewhere = Signal(str)  # the guard may report from the worker thread

    def __init__(
        self,
        guard: NetworkGuard | None,
        check: AirgapCheck = airgap.check,
        interval_ms: int = CHECK_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._check = check
        self._guard = guard
        self._findings: list[str] = []
        self._english: list[str] = []
        self._refused: list[str] = []
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check_now)
        self._refused_elsewhere.connect(self._add_refusal)
        if guard is not None:
            for event in guard.refused:
                self._refused.append(event)
            guard.on_refused = self._refused_elsewhere.emit

    @property
    def audit_findings(self) -> list[str]:
        """The same warnings in English, for the audit log."""
        return self._english + [f"refused {event}" for event in self._refused]

    @property
    def warnings(self) -> list[str]:
        return self._findings + [_(REFUSED).format(event=event) for event in self._refused]

    def start(self) -> None:
        self.check_now()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._guard is not None:
            self._guard.on_refused = None

    @Slot()
    def check_now(self) -> None:
        try:
            found = self._check()
        except Exception:
            log.exception("the air-gap check failed")
            found = []
        findings = [_(f.message).format(**f.params()) for f in found]
        if findings != self._findings:
            if found:
                english = "; ".join(f.message.format(**f.params()) for f in found)
                log.warning("not air-gapped: %s", english)
            self._findings = findings
            self._english = [f.message.format(**f.params()) for f in found]
            self.changed.emit(self.warnings)

    @Slot(str)
    def _add_refusal(self, event: str) -> None:
        log.warning("network attempt refused: %s", event)
        self._refused.append(event)
        self.changed.emit(self.warnings)
