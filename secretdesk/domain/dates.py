"""How dates read to a clerk: day/month/year, and times in the clerk's local time.

Pure functions shared by the command line, the service messages and the windows. Values
that are not dates are returned unchanged, so a bad row never hides the rest of a table.
"""

from __future__ import annotations

from datetime import date, datetime


def day(value: date | str | None, empty: str = "") -> str:
    """``2026-11-14`` (a date, an ISO date or a full ISO time) as ``14/11/2026``."""
    if value is None or value == "":
        return empty
    if isinstance(value, date):  # datetime is a date too
        return value.strftime("%d/%m/%Y")
    try:
        return date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return value


def local_day(at_utc: str | None, empty: str = "") -> str:
    """An ISO UTC time as the clerk's local ``14/11/2026``."""
    if not at_utc:
        return empty
    try:
        return datetime.fromisoformat(at_utc).astimezone().strftime("%d/%m/%Y")
    except ValueError:
        return at_utc


def local_minute(at_utc: str | None, empty: str = "") -> str:
    """An ISO UTC time as the clerk's local ``14/11/2026 09:05``; a day alone stays a day."""
    if not at_utc:
        return empty
    if len(at_utc) == 10:
        return day(at_utc, empty)
    try:
        return datetime.fromisoformat(at_utc).astimezone().strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return at_utc
