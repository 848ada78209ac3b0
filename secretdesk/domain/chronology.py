"""When things happened: every recorded time is checked against what it follows and now.

A *moment* is either a full time (``datetime``, naive = the clerk's local wall clock) or a
date alone (``date``), which means "some time that day". A date alone is compared by day
(a receipt on 07/12 for a handover made at 15:00 on 07/12 is in order; one on 06/12 is
not) and is stored as ``YYYY-MM-DD``, never as midnight.

Bounds (DOMAIN.md §4, "report in writing immediately"): an emergency destruction is
recorded at most ``EMERGENCY_REPORT_DAYS`` days after it happened; an older one is not an
emergency report any more and is refused with that bound named.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

Moment = datetime | date

EMERGENCY_REPORT_DAYS = 7


def local(moment: datetime) -> datetime:
    """An aware time in the local zone; a naive time is already local wall-clock time."""
    return moment.astimezone()


def day_of(moment: Moment) -> date:
    """The local day of a moment."""
    if isinstance(moment, datetime):
        return local(moment).date()
    return moment


def from_stored(text: str) -> Moment:
    """A stored time (ISO, UTC or local, with or without a time) back as a moment."""
    text = text.strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text)


def is_before(moment: Moment, earlier: Moment | str) -> bool:
    """True when ``moment`` is certainly before ``earlier``; a date alone covers its day."""
    if isinstance(earlier, str):
        earlier = from_stored(earlier)
    if isinstance(moment, datetime) and isinstance(earlier, datetime):
        return local(moment).replace(second=0, microsecond=0) < local(earlier).replace(
            second=0, microsecond=0
        )
    return day_of(moment) < day_of(earlier)


def is_future(moment: Moment, now: datetime) -> bool:
    """True when ``moment`` is after ``now`` (a date alone: after today)."""
    if isinstance(moment, datetime):
        return local(moment).replace(second=0, microsecond=0) > local(now)
    return moment > day_of(now)


def too_old_for_emergency(moment: Moment, now: datetime) -> bool:
    return day_of(moment) < day_of(now) - timedelta(days=EMERGENCY_REPORT_DAYS)


def stored(moment: Moment) -> str:
    """How a moment is kept: local ``YYYY-MM-DDTHH:MM``, or ``YYYY-MM-DD`` for a day."""
    if isinstance(moment, datetime):
        wall = local(moment).replace(tzinfo=None) if moment.tzinfo else moment
        return wall.isoformat(timespec="minutes")
    return moment.isoformat()


def shown(moment: Moment | str) -> str:
    """As a clerk reads it: ``14/11/2026 09:05``, or ``14/11/2026`` for a day."""
    if isinstance(moment, str):
        moment = from_stored(moment)
    if isinstance(moment, datetime):
        return local(moment).strftime("%d/%m/%Y %H:%M")
    return moment.strftime("%d/%m/%Y")
