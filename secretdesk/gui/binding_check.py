"""Refuse to run on a Qt binding that would crash the program mid-session.

PySide6 6.12.0 on Python < 3.12 drops a reference to ``None`` on ordinary calls that return
nothing (upstream PYSIDE-3474). ``None`` is not immortal before Python 3.12, so after a few
thousand calls the interpreter aborts with "deallocating None", possibly while a clerk is
recording a handover. The check measures the behaviour instead of trusting version numbers.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject

PROBE_CALLS = 200


def drops_none_references() -> bool:
    """True when calling a void Qt method loses references to ``None``."""
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")
    lost = before - sys.getrefcount(None)
    # A few references may move for unrelated reasons; a broken binding loses one per call.
    return lost >= PROBE_CALLS // 2
