"""Consolidating at the office: the units' annual statistics summed, and each unit's packages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from secretdesk.crypto.signing import fingerprint
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission
from secretdesk.i18n import N_, LazyText, plural_text, translate
from secretdesk.reports.annual import render_annual_report
from secretdesk.reports.model import AnnualReportData
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.office.errors import PeriodInvalid, SequenceGap, TrustRefused
from secretdesk.services.office.imports import format_range
from secretdesk.services.report_v1 import stored_report
from secretdesk.services.stamp import document_stamp, unit_header
from secretdesk.services.statistics import reporting_window
from secretdesk.storage import audit, office, unit
from secretdesk.storage.office import ReceivedPackage, TrustedUnit


@dataclass(frozen=True)
class UnitTotals:
    code: str
    name: str
    seq: int
    held_by_level: dict[Level, int]
    events: dict[str, dict[Level, int]]
    window: tuple[str, str]


@dataclass(frozen=True)
class OfficeSummary:
    """Consolidated annual statistics of the units for one year (the latest package each)."""

    period: str
    window_start: date
    window_end: date
    units: tuple[UnitTotals, ...]
    missing: tuple[str, ...]  # pinned units that sent no annual report for the period
    held_by_level: dict[Level, int]
    events: dict[str, dict[Level, int]]
    pdf: bytes = field(repr=False, default=b"")

    def to_json(self) -> dict[str, Any]:
        def levels(counts: dict[Level, int]) -> dict[str, int]:
            return {level.value: counts.get(level, 0) for level in Level}

        return {
            "period": self.period,
            "window": {"start": self.window_start.isoformat(), "end": self.window_end.isoformat()},
            "held_by_level": levels(self.held_by_level),
            "events": {kind: levels(counts) for kind, counts in self.events.items()},
            "units": [
                {
                    "code": row.code,
                    "name": row.name,
                    "seq": row.seq,
                    "window": {"start": row.window[0], "end": row.window[1]},
                    "held_by_level": levels(row.held_by_level),
                    "events": {kind: levels(counts) for kind, counts in row.events.items()},
                }
                for row in self.units
            ],
            "missing_units": list(self.missing),
        }


@dataclass(frozen=True)
class UnitOverview:
    """A pinned unit, its last package and the numbers never received (for the office's list)."""

    unit: TrustedUnit
    last: ReceivedPackage | None
    received: int
    missing: tuple[tuple[int, int], ...]  # runs of numbers never received (first, last)

    def warnings(self, language: str | None = None) -> list[str]:
        found = []
        if self.missing:
            ranges = ", ".join(format_range(a, b) for a, b in self.missing)
            found.append(SequenceGap(missing=ranges, unit=self.unit.code).render(language))
        if self.last is None:
            found.append(translate(N_("No package received yet."), language))
        return found


def _gaps(seqs: Sequence[int]) -> tuple[tuple[int, int], ...]:
    """The runs of numbers missing below the highest of ``seqs`` (sorted), from 1."""
    gaps, expected = [], 1
    for seq in seqs:
        if seq > expected:
            gaps.append((expected, seq - 1))
        expected = seq + 1
    return tuple(gaps)


class Consolidation:
    """The consolidated view of the units: their statistics and what they sent."""

    ctx: ServiceContext

    def units_overview(self) -> list[UnitOverview]:
        """Every pinned unit with its last package and the numbers never received."""
        conn = self.ctx.read()
        packages: dict[str, list[ReceivedPackage]] = {}
        for package in office.received_packages(conn):
            packages.setdefault(package.unit_code, []).append(package)
        found = []
        for trusted in office.trusted_units(conn):
            got = sorted(packages.get(trusted.code, []), key=lambda p: p.seq)
            missing = _gaps([p.seq for p in got])
            found.append(UnitOverview(trusted, got[-1] if got else None, len(got), missing))
        return found

    def summary(self, period: str) -> OfficeSummary:
        """Annual statistics summed over the units (each unit's latest package for the year)."""
        year = _year(period)
        start, end, _confirmed = reporting_window(year)
        latest: dict[str, ReceivedPackage] = {}
        for package in office.received_packages(self.ctx.read(), period=period, kind="annual"):
            latest[package.unit_code] = package  # ordered by seq: the last one wins
        names = {u.code: u.name for u in office.trusted_units(self.ctx.read())}
        held = {level: 0 for level in Level}
        events: dict[str, dict[Level, int]] = {}
        rows = []
        for code, package in sorted(latest.items()):
            stats = stored_report(package.report_json)["statistics"]
            unit_held = _levels(stats["held_by_level"])
            unit_events = {kind: _levels(counts) for kind, counts in stats["events"].items()}
            for level, count in unit_held.items():
                held[level] += count
            for kind, counts in unit_events.items():
                total = events.setdefault(kind, {level: 0 for level in Level})
                for level, count in counts.items():
                    total[level] += count
            window = (stats["window"]["start"], stats["window"]["end"])
            rows.append(
                UnitTotals(code, names.get(code, code), package.seq, unit_held, unit_events, window)
            )
        missing = tuple(code for code in sorted(names) if code not in latest)
        summary = OfficeSummary(period, start, end, tuple(rows), missing, held, events)
        with self.ctx.change(Permission.READ) as change:
            pdf = self._summary_pdf(change, summary)
            change.audit("office.summary", "received_package", period, units=[r.code for r in rows])
        return replace(summary, pdf=pdf)

    def _summary_pdf(self, change: Change, summary: OfficeSummary) -> bytes:
        record = unit.get(change.conn)
        if record is None:
            raise TrustRefused(reason=LazyText(N_("The vault holds no unit.")))
        findings = [
            plural_text(
                sum(row.held_by_level.values()),
                N_(
                    "{code} ({name}): report number {seq}, {held} copy held, window {start} to "
                    "{end}."
                ),
                N_(
                    "{code} ({name}): report number {seq}, {held} copies held, window {start} to "
                    "{end}."
                ),
                code=row.code,
                name=row.name,
                seq=row.seq,
                held=sum(row.held_by_level.values()),
                start=row.window[0],
                end=row.window[1],
            ).render("vi")
            for row in summary.units
        ]
        if summary.missing:
            findings.append(
                LazyText(
                    N_("No annual report received from: {units}."), units=", ".join(summary.missing)
                ).render("vi")
            )
        head = audit.head(change.conn)
        data = AnnualReportData(
            unit=unit_header(record),
            year=int(summary.period),
            window_start=summary.window_start,
            window_end=summary.window_end,
            held_by_level=summary.held_by_level,
            events=summary.events,
            findings=tuple(findings),
            key_fingerprint=fingerprint(record.signing_public),
        )
        stamp = document_stamp(self.ctx.clock, change.actor, head.seq, head.hash)
        return render_annual_report(data, None, stamp)


def _levels(counts: dict[str, int]) -> dict[Level, int]:
    return {level: int(counts.get(level.value, 0)) for level in Level}


def _year(period: str) -> int:
    text = period.strip()
    if re.fullmatch(r"[0-9]{4}", text) is None:
        raise PeriodInvalid(period=period)
    return int(text)
