"""Fonts embedded in every printout: Times New Roman when installed, else Liberation Serif.

Government forms are set in Times New Roman. When the computer has it (Windows always does),
it is embedded; otherwise the metric-compatible Liberation Serif 2 shipped in
``resources/fonts`` (SIL Open Font License 1.1, see ``OFL.txt`` there) is used, so a page
breaks in the same places either way. A font is accepted only if it has a glyph for every
Vietnamese letter; a printout never shows a missing-glyph box: ``ensure_glyphs`` refuses the
text instead.

``SECRETDESK_FONT=shipped`` (or ``source="shipped"``) forces the shipped font, so tests and
reprints do not depend on the machine; ``system`` demands Times New Roman; ``auto`` (default)
prefers it.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from secretdesk.reports.errors import FontUnavailable, MissingGlyph
from secretdesk.resources import resource_path

FONT_ENV = "SECRETDESK_FONT"
SOURCES = ("auto", "system", "shipped")
STYLES = ("regular", "bold", "italic", "bold_italic")

SYSTEM_FAMILY = "Times New Roman"
SHIPPED_FAMILY = "Liberation Serif"
SHIPPED_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bold_italic": "LiberationSerif-BoldItalic.ttf",
}

_VOWELS = "aăâeêioôơuưy"
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
VIETNAMESE_LETTERS = "".join(
    sorted(
        {
            unicodedata.normalize("NFC", base + tone)
            for vowel in _VOWELS
            for base in (vowel, vowel.upper())
            for tone in ("", *_TONES)
        }
        | set("đĐ")
    )
)
"""Every Vietnamese letter with a diacritic: each vowel with each tone, both cases, and đ/Đ."""

# File names (lower case, without spaces, '_' or '-') of Times New Roman on Windows,
# macOS and Linux (msttcorefonts).
_TIMES_NAMES = {
    "times.ttf": "regular",
    "timesbd.ttf": "bold",
    "timesi.ttf": "italic",
    "timesbi.ttf": "bold_italic",
    "timesnewroman.ttf": "regular",
    "timesnewromanbold.ttf": "bold",
    "timesnewromanitalic.ttf": "italic",
    "timesnewromanbolditalic.ttf": "bold_italic",
}


@dataclass(frozen=True)
class FontFamily:
    """A registered font family; the style fields are reportlab font names."""

    family: str
    source: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    paths: Mapping[str, Path]

    def style(self, *, bold: bool = False, italic: bool = False) -> str:
        if bold:
            return self.bold_italic if italic else self.bold
        return self.italic if italic else self.regular


def font_dirs() -> list[Path]:
    """Folders where an installed Times New Roman may be found on this system."""
    home = Path.home()
    dirs = [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        home / ".local" / "share" / "fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts/Supplemental"),
        home / "Library" / "Fonts",
    ]
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs.insert(0, windir / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.insert(1, Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def find_times_new_roman(dirs: Iterable[Path] | None = None) -> dict[str, Path] | None:
    """The four styles of an installed Times New Roman, or None when any is missing."""
    found: dict[str, Path] = {}
    for folder in font_dirs() if dirs is None else dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            key = path.name.lower().replace(" ", "").replace("_", "").replace("-", "")
            style = _TIMES_NAMES.get(key)
            if style and style not in found and path.is_file():
                found[style] = path
        if len(found) == len(STYLES):
            return found
    return None


def font_source(source: str | None = None) -> str:
    """The requested font source: the argument, else $SECRETDESK_FONT, else "auto"."""
    chosen = (source or os.environ.get(FONT_ENV) or "auto").strip().lower()
    if chosen not in SOURCES:
        raise FontUnavailable(detail=f"{FONT_ENV}={chosen!r} is not one of {', '.join(SOURCES)}")
    return chosen


def register_fonts(source: str | None = None) -> FontFamily:
    """Register (once per process) and return the font family printouts use."""
    chosen = font_source(source)
    if chosen != "shipped":
        system = _system_family()
        if system is not None:
            return system
        if chosen == "system":
            raise FontUnavailable(detail="Times New Roman with Vietnamese letters is not installed")
    return _shipped_family()


@lru_cache(maxsize=1)
def _system_family() -> FontFamily | None:
    paths = find_times_new_roman()
    if paths is None:
        return None
    try:
        family = _register("SD-TimesNewRoman", SYSTEM_FAMILY, "system", paths)
    except (TTFError, OSError):
        return None  # unreadable, or embedding not permitted
    if any(missing_glyphs(VIETNAMESE_LETTERS, name) for name in _names(family)):
        return None  # an old Times without Vietnamese: use the shipped font
    return family


@lru_cache(maxsize=1)
def _shipped_family() -> FontFamily:
    paths = {style: resource_path("fonts", name) for style, name in SHIPPED_FILES.items()}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise FontUnavailable(detail="missing " + ", ".join(missing))
    try:
        return _register("SD-LiberationSerif", SHIPPED_FAMILY, "shipped", paths)
    except (TTFError, OSError) as error:
        raise FontUnavailable(detail=str(error)) from error


def _register(prefix: str, family: str, source: str, paths: Mapping[str, Path]) -> FontFamily:
    names = {
        "regular": prefix,
        "bold": f"{prefix}-Bold",
        "italic": f"{prefix}-Italic",
        "bold_italic": f"{prefix}-BoldItalic",
    }
    for style, name in names.items():
        pdfmetrics.registerFont(TTFont(name, str(paths[style])))
    pdfmetrics.registerFontFamily(
        prefix,
        normal=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        boldItalic=names["bold_italic"],
    )
    return FontFamily(
        family=family,
        source=source,
        regular=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        bold_italic=names["bold_italic"],
        paths=dict(paths),
    )


def _names(family: FontFamily) -> tuple[str, ...]:
    return (family.regular, family.bold, family.italic, family.bold_italic)


def _cmap(font_name: str) -> Mapping[int, int]:
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    cmap: Mapping[int, int] | None = getattr(face, "charToGlyph", None)
    if cmap is None:
        raise FontUnavailable(detail=f"{font_name} is not a TrueType font")
    return cmap


def missing_glyphs(text: str, font_name: str) -> str:
    """The characters of ``text`` (taken in NFC) that the font has no glyph for, sorted.
    A line feed is not a glyph: callers break lines on it."""
    cmap = _cmap(font_name)
    wanted = set(unicodedata.normalize("NFC", text)) - {"\n"}
    return "".join(sorted(char for char in wanted if ord(char) not in cmap))


def ensure_glyphs(text: str, font_name: str) -> None:
    """Refuse text that would print as missing-glyph boxes."""
    missing = missing_glyphs(text, font_name)
    if missing:
        shown = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in missing)
        raise MissingGlyph(font=font_name, chars=shown)
