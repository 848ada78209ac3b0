"""Issue 14: the item panel shows who consented to a Tuyệt mật summary (never the summary),
the item's basis in the list of secrets and the holder of the file copy."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from secretdesk import i18n
from secretdesk.domain.protection import expiry_status
from secretdesk.gui.widgets.item_panel import ItemPanel
from secretdesk.storage.legal import ItemLegalRow
from tests.gui.register_data import YEAR


def details(level: Any, legal: ItemLegalRow) -> SimpleNamespace:
    from secretdesk.domain.levels import Level

    item = SimpleNamespace(
        book_kind="outgoing",
        number=7,
        year=YEAR,
        number_symbol="07/BC-STP",
        doc_type="Báo cáo",
        issuer="",
        level=Level(level),
        doc_date=f"{YEAR}-02-27",
        cancelled=False,
        summary="Tình hình an ninh nội bộ",
        unopened=False,
        named_addressee=None,
    )
    return SimpleNamespace(
        item=item, copies=[], expiry=expiry_status(date(2055, 2, 27), date(2026, 6, 1)), legal=legal
    )


def test_the_panel_shows_the_consent_and_the_list_basis_but_never_the_summary(qtbot: Any) -> None:
    i18n.set_language("vi")
    try:
        panel = ItemPanel()
        qtbot.addWidget(panel)
        legal = ItemLegalRow(
            7, "Giám đốc Sở", "2025-02-20", "Quyết định số 01/QĐ-TTg", "Mục 2", "Văn thư"
        )
        panel.show_details(details("tuyet-mat", legal))
        text = panel.legal.text()
        assert "Trích yếu được ghi với sự đồng ý của Giám đốc Sở ngày 20/02/2025" in text
        assert "Căn cứ danh mục bí mật nhà nước: Quyết định số 01/QĐ-TTg, Mục 2" in text
        assert "Đơn vị, người nhận bản lưu: Văn thư" in text
        assert "Tình hình an ninh nội bộ" not in panel.summary.text()
        panel.show_details(details("mat", ItemLegalRow(8, "", None, "", "", "")))
        assert panel.legal.text() == "" and panel.legal.isHidden()
    finally:
        i18n.set_language("en")
