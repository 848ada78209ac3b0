"""What a clerk sees when the vault is busy or damaged under a window: the error told as what
it is, never "an unexpected error"."""

from __future__ import annotations

from secretdesk import i18n
from secretdesk.gui.tasks import UNEXPECTED, error_text
from secretdesk.storage.sqlite import DatabaseError, OperationalError


def test_a_busy_or_damaged_vault_is_told_as_such() -> None:
    language = i18n.current_language()
    try:
        i18n.set_language("vi")
        busy = error_text(OperationalError("database is locked"))
        assert busy.startswith("Một cửa sổ hoặc một lệnh SecretDesk khác đang ghi")
        damaged = error_text(DatabaseError("database disk image is malformed"))
        assert "bị hỏng" in damaged and "khôi phục bản sao lưu gần nhất" in damaged
        assert error_text(KeyError("bug")) == i18n.translate(UNEXPECTED)
    finally:
        i18n.set_language(language)
