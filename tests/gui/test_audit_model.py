"""The audit table model, tested without a window (STYLE.md 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from secretdesk import i18n
from secretdesk.gui.models import audit_model
from secretdesk.gui.models.audit_model import AuditTableModel
from tests.helpers import new_app


def _events(tmp_path: Path) -> list[Any]:
    opened, _code = new_app(tmp_path / "vault")
    try:
        return opened.audit.events(limit=50)
    finally:
        opened.close()


def test_the_model_shows_audit_events(qtbot: Any, tmp_path: Path) -> None:
    events = _events(tmp_path)
    model = AuditTableModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert model.rowCount() == 0
    with qtbot.waitSignal(model.modelReset):
        model.set_rows(events)
    assert model.rowCount() == len(events) >= 2
    assert model.columnCount() == len(audit_model.COLUMNS)
    assert model.rowCount(model.index(0, 0)) == 0  # a table, not a tree

    def cell(row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return model.data(model.index(row, column), role)

    assert model.headerData(audit_model.ACTION, Qt.Orientation.Horizontal) == "Action"
    assert cell(0, audit_model.SEQ) == "1"
    assert cell(0, audit_model.ACTION) == "Vault created"
    assert cell(0, audit_model.ACTION, Qt.ItemDataRole.ToolTipRole) == "vault.created"
    assert cell(0, audit_model.ACTOR) == "admin"
    assert cell(0, audit_model.OBJECT) == "unit STP-QNG"
    assert "(STP-QNG) created; unit key" in cell(0, audit_model.DETAIL)
    assert cell(1, audit_model.ACTION) == "User added"
    assert cell(1, audit_model.SEQ, audit_model.SORT_ROLE) == 2
    assert cell(1, audit_model.SEQ, audit_model.OBJECT_ROLE) is events[1]
    assert model.event_at(0) is events[0]
    # 2026-11-02 08:30 UTC, shown as the clerk's local day/month/year
    assert cell(0, audit_model.TIME).count("/") == 2 and cell(0, audit_model.TIME)[6:10] == "2026"
    assert model.data(QModelIndex()) is None


def test_labels_follow_the_language_and_unknown_actions_show_their_id(tmp_path: Path) -> None:
    events = _events(tmp_path)
    model = AuditTableModel()
    model.set_rows(events)
    i18n.set_language("vi")
    assert model.headerData(audit_model.ACTION, Qt.Orientation.Horizontal) == "Thao tác"
    assert model.data(model.index(0, audit_model.ACTION)) == "Tạo kho dữ liệu"
    assert audit_model.action_label("handover.recorded") == "handover.recorded"


def test_detail_and_time_helpers() -> None:
    assert audit_model.detail_text('{"a": 1, "b": "x", "c": {"d": true}}') == (
        'a: 1; b: x; c: {"d": true}'
    )
    assert audit_model.detail_text("{}") == ""
    assert audit_model.detail_text("not json") == "not json"
    assert audit_model.local_time("garbage") == "garbage"
