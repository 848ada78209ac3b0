from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secretdesk.domain.errors import ExtensionRefused, InvalidLevel
from secretdesk.domain.levels import Level, add_years
from secretdesk.domain.protection import (
    Extension,
    base_expiry,
    expiry_status,
    protection_expiry,
)


def test_levels_letters_periods_and_labels() -> None:
    assert [(lv.letter, lv.default_period_years, lv.label_vi) for lv in Level] == [
        ("A", 30, "Tuyệt mật"),
        ("B", 20, "Tối mật"),
        ("C", 10, "Mật"),
    ]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("tuyet-mat", Level.TUYET_MAT),
        ("Tuyệt mật", Level.TUYET_MAT),
        ("TUYET MAT", Level.TUYET_MAT),
        ("A", Level.TUYET_MAT),
        ("toi mat", Level.TOI_MAT),
        ("Secret", Level.TOI_MAT),
        ("mật", Level.MAT),
        ("c", Level.MAT),
    ],
)
def test_level_parse_accepts_what_clerks_type(text: str, level: Level) -> None:
    assert Level.parse(text) is level


def test_level_parse_refuses_unknown() -> None:
    with pytest.raises(InvalidLevel):
        Level.parse("very secret")


def test_authority_covers_lower_levels_only() -> None:
    assert Level.TUYET_MAT.covers(Level.MAT)
    assert Level.TOI_MAT.covers(Level.TOI_MAT)
    assert not Level.MAT.covers(Level.TOI_MAT)
    assert Level.highest([Level.MAT, Level.TUYET_MAT, Level.TOI_MAT]) is Level.TUYET_MAT


def test_add_years_handles_29_february() -> None:
    assert add_years(date(2024, 2, 29), 10) == date(2034, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_default_expiry_per_level() -> None:
    day = date(2025, 5, 1)
    assert protection_expiry(Level.TUYET_MAT, day) == date(2055, 5, 1)
    assert protection_expiry(Level.TOI_MAT, day) == date(2045, 5, 1)
    assert protection_expiry(Level.MAT, day) == date(2035, 5, 1)


def test_shorter_period_written_on_item_wins_but_never_a_longer_one() -> None:
    day = date(2025, 5, 1)
    assert base_expiry(Level.MAT, day, date(2027, 1, 1)) == date(2027, 1, 1)
    assert base_expiry(Level.MAT, day, date(2040, 1, 1)) == date(2035, 5, 1)


def test_extension_rules() -> None:
    day = date(2015, 1, 10)  # Mật: expires 2025-01-10
    ok = Extension(decided_on=date(2024, 11, 1), years=10)
    assert protection_expiry(Level.MAT, day, [ok]) == date(2035, 1, 10)
    with pytest.raises(ExtensionRefused, match="at most 10 years"):
        protection_expiry(Level.MAT, day, [Extension(date(2024, 11, 1), 11)])
    with pytest.raises(ExtensionRefused, match="60 days before expiry"):
        protection_expiry(Level.MAT, day, [Extension(date(2024, 11, 20), 5)])
    two = [Extension(date(2024, 11, 1), 10), Extension(date(2034, 10, 1), 10)]
    assert protection_expiry(Level.MAT, day, two) == date(2045, 1, 10)


def test_expiry_warnings_90_days_and_extension_window() -> None:
    expiry = date(2026, 6, 30)
    far = expiry_status(expiry, expiry - timedelta(days=120))
    assert not far.expiring_soon and far.extension_window_open
    closing = expiry_status(expiry, expiry - timedelta(days=80))
    assert closing.expiring_soon and closing.extension_window_closing
    late = expiry_status(expiry, expiry - timedelta(days=30))
    assert late.expiring_soon and not late.extension_window_open
    assert expiry_status(expiry, expiry).expired


@given(
    level=st.sampled_from(list(Level)),
    day=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)),
)
def test_expiry_is_after_classification_and_within_period(level: Level, day: date) -> None:
    expiry = protection_expiry(level, day)
    assert day < expiry <= add_years(day, level.default_period_years)
