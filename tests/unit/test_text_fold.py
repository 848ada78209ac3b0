import pytest

from secretdesk.domain.text import fold, matches, nfc


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("tuyet mat", "Tuyệt mật"),
        ("TUYET MAT", "tài liệu TUYỆT MẬT số 12"),
        ("dang uy", "Đảng ủy khối cơ quan"),
        ("quyet dinh", "Quyết định về việc tiêu hủy"),
        ("ho so mat", "Hồ sơ MẬT"),
        ("hoa toc", "Hỏa tốc"),
        ("hoa toc", "Hoả tốc"),  # old-style tone placement
        ("nguyen thi", "Nguyễn Thị Ánh"),
        ("tu phap quang ngai", "Sở Tư pháp tỉnh Quảng Ngãi"),
        ("tuyệt mật", "TUYỆT MẬT"),
    ],
)
def test_clerk_typing_without_diacritics_finds_text_with_them(query: str, text: str) -> None:
    assert matches(query, text)


def test_decomposed_input_folds_like_composed() -> None:
    import unicodedata

    word = "Đảng ủy Quảng Ngãi"
    assert fold(unicodedata.normalize("NFD", word)) == fold(word) == "dang uy quang ngai"


def test_different_words_do_not_match() -> None:
    assert not matches("toi mat", "Tuyệt mật")
    assert not matches("bien ban", "Quyết định tiêu hủy")


def test_nfc_normalises_stacked_marks() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Tuyệt mật")
    assert nfc(decomposed) == "Tuyệt mật"
