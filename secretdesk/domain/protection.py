"""Protection periods: expiry, extensions and the warnings the register gives (§3, rule 7)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from secretdesk.domain.errors import ExtensionRefused
from secretdesk.domain.levels import Level, add_years
from secretdesk.i18n import N_, LazyText

WARN_DAYS = 90  # the register warns this many days before expiry
# The latest day for an extension decision: this many days before expiry (Law 2018 Art. 20;
# the rule files call it extension_decision_days_before_expiry). Not a notice period.
EXTENSION_DECISION_DAYS = 60


@dataclass(frozen=True)
class Extension:
    """Gia hạn: decided on a date, for a number of years."""

    decided_on: date
    years: int


def base_expiry(level: Level, classified_on: date, shorter_until: date | None = None) -> date:
    """Expiry before extensions: the level's period, or the shorter date written on the item."""
    default = add_years(classified_on, level.default_period_years)
    if shorter_until is not None and classified_on < shorter_until < default:
        return shorter_until
    return default


def protection_expiry(
    level: Level,
    classified_on: date,
    extensions: Sequence[Extension] = (),
    shorter_until: date | None = None,
) -> date:
    """The date protection ends, checking every extension against the rules."""
    expiry = base_expiry(level, classified_on, shorter_until)
    for extension in sorted(extensions, key=lambda e: e.decided_on):
        expiry = extend(level, expiry, extension)
    return expiry


def extend(level: Level, expiry: date, extension: Extension) -> date:
    if extension.years < 1:
        raise ExtensionRefused(reason=LazyText(N_("an extension is at least one year")))
    if extension.years > level.default_period_years:
        raise ExtensionRefused(
            reason=LazyText(
                N_("an extension is at most {years} years for this level"),
                years=level.default_period_years,
            )
        )
    if extension.decided_on > expiry - timedelta(days=EXTENSION_DECISION_DAYS):
        raise ExtensionRefused(
            reason=LazyText(
                N_("it must be decided at least {days} days before expiry ({expiry})"),
                days=EXTENSION_DECISION_DAYS,
                expiry=expiry.strftime("%d/%m/%Y"),
            )
        )
    return add_years(expiry, extension.years)


@dataclass(frozen=True)
class ExpiryStatus:
    expiry: date
    expired: bool
    expiring_soon: bool  # within WARN_DAYS
    extension_window_open: bool  # an extension can still be decided
    extension_window_closing: bool  # expiring soon and the extension deadline not yet passed

    @property
    def extension_deadline(self) -> date:
        return self.expiry - timedelta(days=EXTENSION_DECISION_DAYS)


def expiry_status(expiry: date, today: date) -> ExpiryStatus:
    deadline = expiry - timedelta(days=EXTENSION_DECISION_DAYS)
    expired = today >= expiry
    soon = not expired and today >= expiry - timedelta(days=WARN_DAYS)
    window_open = today <= deadline
    return ExpiryStatus(
        expiry=expiry,
        expired=expired,
        expiring_soon=soon,
        extension_window_open=window_open,
        extension_window_closing=soon and window_open,
    )
