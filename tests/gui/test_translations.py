"""The GUI's own catalogues (GUI_CATALOGUES) are complete and no other catalogue overrides
them."""

from __future__ import annotations

import ast
from pathlib import Path

from secretdesk import i18n
from secretdesk.i18n import read_po

GUI = Path(__file__).resolve().parents[2] / "secretdesk" / "gui"
GUI_CATALOGUES = (
    "gui.po",
    "gui_day.po",
    "gui10.po",
    "gui10_item.po",
    "gui2a.po",
    "gui2b.po",
    "gui11.po",
    "gui_evidence.po",
    "gui_evidence2.po",
    "plurals.po",
    "gui_s8chrono.po",
    "gui_s8leftovers.po",
    "gui_insider.po",
    "gui_s9.po",
)


def _gui_catalogue() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in i18n.catalogue_paths("vi"):
        if path.name in GUI_CATALOGUES:
            merged.update(read_po(path.read_text(encoding="utf-8")))
    return merged


def _marked() -> set[str]:
    found = set()
    for path in GUI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_every_gui_message_is_in_gui_po() -> None:
    assert sorted(_marked() - set(_gui_catalogue())) == []


def test_no_other_catalogue_changes_a_gui_translation() -> None:
    merged = i18n.catalogue("vi")
    changed = {k: (v, merged[k]) for k, v in _gui_catalogue().items() if merged.get(k) != v}
    assert changed == {}
