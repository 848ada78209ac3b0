"""The Qt binding must not crash the program mid-session (see secretdesk/gui/binding_check.py)."""

from __future__ import annotations

import sys

import PySide6

from secretdesk.gui.binding_check import drops_none_references


def test_pyside_keeps_its_references_to_none() -> None:
    assert not drops_none_references(), (
        f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} drops a reference to "
        "None on every void Qt call (PYSIDE-3474) and aborts the program after a few thousand "
        "calls: require a PySide6 without the bug (e.g. <6.12 on Python < 3.12) in pyproject.toml"
    )
