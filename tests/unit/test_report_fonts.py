"""Fonts of the printouts: Vietnamese coverage, choice of font, missing glyphs refused."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from secretdesk.reports import fonts
from secretdesk.reports.errors import FontUnavailable, MissingGlyph
from secretdesk.resources import resource_path

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # ngang huyền sắc hỏi ngã nặng
# Real words and names, as clerks type them.
WORDS = [
    "Quyết định", "Đội bảo vệ", "Tuyệt mật", "Tối mật", "Mật", "Hỏa tốc", "Thượng khẩn",
    "Sở Tư pháp tỉnh Quảng Ngãi", "Nguyễn Thị Hường", "Trần Văn Đức", "Đỗ Minh Khuê",
    "Ủy ban nhân dân", "Chỉ người có tên mới được bóc bì", "tiêu hủy", "giải mật",
    "khuỷu", "nghiêng", "Ưởng", "ỞỠỢỚỜ", "ữ", "ựa", "Ễ", "ẵng", "ặc", "ỳ", "ỵ", "ỷ", "ỹ",
]  # fmt: skip


def syllables() -> list[str]:
    """Every vowel with every tone mark, in both cases, as syllables, plus đ/Đ."""
    words = []
    for vowel in VOWELS:
        for tone in TONES:
            for base in (vowel, vowel.upper()):
                words.append("đ" + unicodedata.normalize("NFC", base + tone) + "ng")
                words.append("Đ" + unicodedata.normalize("NFC", base + tone) + "m")
    return words


def test_the_alphabet_covers_every_tone_on_every_vowel() -> None:
    letters = set(fonts.VIETNAMESE_LETTERS)
    assert len(letters) == len(VOWELS) * len(TONES) * 2 + 2
    assert {"đ", "Đ", "ợ", "Ự", "ẵ", "Ỵ"} <= letters


@pytest.mark.parametrize("style", fonts.STYLES)
def test_shipped_font_has_every_vietnamese_glyph(style: str) -> None:
    family = fonts.register_fonts("shipped")
    name = getattr(family, style)
    text = " ".join([*WORDS, *syllables(), fonts.VIETNAMESE_LETTERS])
    assert fonts.missing_glyphs(text, name) == ""
    fonts.ensure_glyphs(text, name)
    # decomposed input (NFD) is composed before the check
    assert fonts.missing_glyphs(unicodedata.normalize("NFD", text), name) == ""


def test_shipped_font_files_and_licence_are_present() -> None:
    for name in fonts.SHIPPED_FILES.values():
        assert resource_path("fonts", name).is_file()
    licence = resource_path("fonts", "OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence
    assert "Version 1.1" in licence


def test_missing_glyphs_are_refused_not_drawn_as_boxes() -> None:
    family = fonts.register_fonts("shipped")
    assert fonts.missing_glyphs("Mật 漢 🔒", family.regular) == "漢🔒"
    with pytest.raises(MissingGlyph) as caught:
        fonts.ensure_glyphs("Bí mật 🔒", family.regular)
    assert "U+1F512" in caught.value.render("en")
    assert "không in được" in caught.value.render("vi")


def test_env_variable_forces_the_shipped_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fonts.FONT_ENV, "shipped")
    family = fonts.register_fonts()
    assert (family.family, family.source) == (fonts.SHIPPED_FAMILY, "shipped")
    assert family.style(bold=True, italic=True) == family.bold_italic


def test_unknown_font_source_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fonts.FONT_ENV, "comic")
    with pytest.raises(FontUnavailable):
        fonts.register_fonts()


def test_system_font_is_preferred_when_installed_else_refused_or_replaced() -> None:
    if fonts.find_times_new_roman() is None:
        with pytest.raises(FontUnavailable):
            fonts.register_fonts("system")
        assert fonts.register_fonts("auto").source == "shipped"
    else:  # a machine with Times New Roman: it is used when it covers Vietnamese
        assert fonts.register_fonts("auto").family in (fonts.SYSTEM_FAMILY, fonts.SHIPPED_FAMILY)


def test_times_new_roman_is_found_under_its_usual_file_names(tmp_path: Path) -> None:
    source = resource_path("fonts", fonts.SHIPPED_FILES["regular"])
    windows = tmp_path / "Windows" / "Fonts"
    windows.mkdir(parents=True)
    for name in ("times.ttf", "timesbd.ttf", "timesi.ttf"):
        shutil.copy(source, windows / name)
    assert fonts.find_times_new_roman([tmp_path]) is None  # bold italic missing
    shutil.copy(source, windows / "TIMESBI.TTF")
    found = fonts.find_times_new_roman([tmp_path])
    assert found is not None and set(found) == set(fonts.STYLES)
    assert found["bold_italic"].name == "TIMESBI.TTF"
    core = tmp_path / "msttcorefonts"
    core.mkdir()
    for name in ("Times_New_Roman", "Times_New_Roman_Bold", "Times_New_Roman_Italic"):
        shutil.copy(source, core / f"{name}.ttf")
    shutil.copy(source, core / "Times_New_Roman_Bold_Italic.ttf")
    assert fonts.find_times_new_roman([core]) is not None
