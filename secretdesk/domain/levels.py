"""Classification levels (độ mật) and their protection periods (thời hạn bảo vệ)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from secretdesk.domain.errors import InvalidLevel
from secretdesk.domain.text import fold


class Level(StrEnum):
    """Độ mật. Values are the slugs used on the command line and in files."""

    TUYET_MAT = "tuyet-mat"
    TOI_MAT = "toi-mat"
    MAT = "mat"

    @property
    def info(self) -> LevelInfo:
        return _INFO[self]

    @property
    def letter(self) -> str:
        """Envelope letter: A, B or C."""
        return self.info.letter

    @property
    def rank(self) -> int:
        """Higher is more secret; authority to approve level L covers every level of rank <= L."""
        return self.info.rank

    @property
    def default_period_years(self) -> int:
        return self.info.period_years

    @property
    def label_vi(self) -> str:
        return self.info.label_vi

    @property
    def label_en(self) -> str:
        return self.info.label_en

    def label(self, language: str) -> str:
        return self.label_vi if language == "vi" else self.label_en

    def covers(self, other: Level) -> bool:
        """An authority up to ``self`` may act on items of level ``other``."""
        return self.rank >= other.rank

    @classmethod
    def parse(cls, value: str) -> Level:
        """Accept slugs, letters and Vietnamese or English names, with or without diacritics."""
        wanted = fold(value).replace("-", " ").replace("_", " ").strip()
        for level in cls:
            info = level.info
            names = {
                level.value.replace("-", " "),
                info.letter.lower(),
                fold(info.label_vi),
                info.label_en.lower(),
            }
            if wanted in names:
                return level
        raise InvalidLevel(value=value)

    @classmethod
    def highest(cls, levels: list[Level]) -> Level:
        """Mixed content takes the highest level."""
        if not levels:
            raise InvalidLevel(value="(none)")
        return max(levels, key=lambda level: level.rank)


@dataclass(frozen=True)
class LevelInfo:
    letter: str
    rank: int
    period_years: int
    label_vi: str
    label_en: str


_INFO = {
    Level.TUYET_MAT: LevelInfo("A", 3, 30, "Tuyệt mật", "Top secret"),
    Level.TOI_MAT: LevelInfo("B", 2, 20, "Tối mật", "Secret"),
    Level.MAT: LevelInfo("C", 1, 10, "Mật", "Confidential"),
}


def add_years(start: date, years: int) -> date:
    """Same day and month ``years`` later; 29 February becomes 28 February."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)
