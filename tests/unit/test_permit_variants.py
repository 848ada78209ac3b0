"""The four permit variants read from one place (services/permits.py): the permits list, the
print preview's title and the audit sentences name a foreign provision and a take-out abroad
as such, in both languages."""

from __future__ import annotations

from secretdesk import i18n
from secretdesk.services.permits import variant, variant_label, variant_title


def test_variants() -> None:
    assert variant("take-out", False) == "take-out"
    assert variant("take-out", True) == "take-out-abroad"
    assert variant("provision", False) == "provision"
    assert variant("provision", True) == "provision-foreign"


def test_titles_and_labels_in_both_languages() -> None:
    assert str(variant_title("take-out", False, 3)) == "Take-out permit #3"
    assert str(variant_title("provision", True, 4)) == (
        "Decision on provision to a foreign body or person #4"
    )
    assert str(variant_label("take-out", True)) == "taking abroad"
    assert variant_label("provision", True).render("vi") == (  # type: ignore[union-attr]
        "cung cấp cho cơ quan, tổ chức, cá nhân nước ngoài"
    )
    assert variant_title("take-out", True, 5).render("vi") == (  # type: ignore[union-attr]
        "Giấy phép mang tài liệu ra nước ngoài số 5"
    )
    i18n.set_language("vi")
    try:
        assert str(variant_title("take-out", False, 3)) == "Giấy phép mang tài liệu ra ngoài số 3"
    finally:
        i18n.set_language("en")
