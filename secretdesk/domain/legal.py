"""Legal bases (căn cứ pháp lý): the rules in force on a date, loaded from data.

Rule sets live in resources/rules/*.json; the caller reads the files and hands the parsed
JSON to ``parse_basis``, which validates it. Nothing here reads files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from secretdesk.domain.errors import InvalidRuleData, LegalBasisMissing
from secretdesk.domain.levels import Level


class SummaryRule(StrEnum):
    """What the basis says about recording the summary (trích yếu) of a Tuyệt mật item."""

    ALLOWED = "allowed"
    WITH_CLASSIFIER_CONSENT = "with_classifier_consent"
    FORBIDDEN = "forbidden"


@dataclass(frozen=True)
class ReportingWindow:
    """Annual reporting window: from (day, month) of the previous year to (day, month)."""

    start_day: int
    start_month: int
    end_day: int
    end_month: int
    due_day: int
    due_month: int
    confirmed: bool

    def for_year(self, year: int) -> tuple[date, date]:
        start_year = (
            year - 1
            if (self.start_month, self.start_day)
            > (
                self.end_month,
                self.end_day,
            )
            else year
        )
        return (
            date(start_year, self.start_month, self.start_day),
            date(year, self.end_month, self.end_day),
        )


@dataclass(frozen=True)
class LegalBasis:
    code: str
    title: str
    documents: tuple[str, ...]
    effective_from: date
    effective_until: date | None
    tuyet_mat_summary: SummaryRule
    period_years: Mapping[Level, int]
    warn_days: int
    extension_notice_days: int
    notify_days: int
    reporting_window: ReportingWindow
    copy_authority: Mapping[Level, str]

    def in_force_on(self, day: date) -> bool:
        if day < self.effective_from:
            return False
        return self.effective_until is None or day <= self.effective_until


def basis_in_force(bases: Iterable[LegalBasis], day: date) -> LegalBasis:
    for basis in sorted(bases, key=lambda b: b.effective_from, reverse=True):
        if basis.in_force_on(day):
            return basis
    raise LegalBasisMissing(on=day.strftime("%d/%m/%Y"))


def parse_basis(name: str, data: Mapping[str, Any]) -> LegalBasis:
    """Validate one rule file's JSON; raise InvalidRuleData naming the file and the problem."""

    def fail(reason: str) -> InvalidRuleData:
        return InvalidRuleData(name=name, reason=reason)

    def field(key: str, kind: type) -> Any:
        if key not in data:
            raise fail(f"missing '{key}'")
        value = data[key]
        if not isinstance(value, kind):
            raise fail(f"'{key}' must be {kind.__name__}")
        return value

    def parse_date(key: str, value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise fail(f"'{key}' is not a date (YYYY-MM-DD)") from error

    def per_level(key: str, kind: type) -> dict[Level, Any]:
        raw = field(key, dict)
        try:
            result = {Level(slug): value for slug, value in raw.items()}
        except ValueError as error:
            raise fail(f"'{key}' has an unknown level") from error
        if set(result) != set(Level) or not all(isinstance(v, kind) for v in result.values()):
            raise fail(f"'{key}' must give a {kind.__name__} for each level")
        return result

    until = data.get("effective_until")
    try:
        summary = SummaryRule(field("tuyet_mat_summary", str))
    except ValueError as error:
        raise fail("'tuyet_mat_summary' is not a known rule") from error
    window = field("reporting_window", dict)
    try:
        reporting = ReportingWindow(
            start_day=int(window["start"][0]),
            start_month=int(window["start"][1]),
            end_day=int(window["end"][0]),
            end_month=int(window["end"][1]),
            due_day=int(window["due"][0]),
            due_month=int(window["due"][1]),
            confirmed=bool(window.get("confirmed", False)),
        )
        reporting.for_year(2000)
    except (KeyError, IndexError, TypeError, ValueError) as error:
        raise fail("'reporting_window' needs start, end and due as [day, month]") from error
    return LegalBasis(
        code=field("code", str),
        title=field("title", str),
        documents=tuple(field("documents", list)),
        effective_from=parse_date("effective_from", field("effective_from", str)),
        effective_until=parse_date("effective_until", until) if until else None,
        tuyet_mat_summary=summary,
        period_years=per_level("period_years", int),
        warn_days=int(field("warn_days", int)),
        extension_notice_days=int(field("extension_notice_days", int)),
        notify_days=int(field("notify_days", int)),
        reporting_window=reporting,
        copy_authority=per_level("copy_authority", str),
    )
