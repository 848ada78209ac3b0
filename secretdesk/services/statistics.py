"""Annual statistics (thống kê, báo cáo hằng năm) and self-inspection findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission
from secretdesk.i18n import N_, LazyText, plural_text
from secretdesk.services.classification import ClassificationService
from secretdesk.services.context import ServiceContext
from secretdesk.services.handovers import HandoverService
from secretdesk.services.registry import basis_on
from secretdesk.storage import statistics

OVER_AUTHORISATION = "copy.refused_over_authorisation"


@dataclass(frozen=True)
class AnnualStatistics:
    year: int
    window_start: date
    window_end: date
    window_confirmed: bool
    held_by_level: dict[Level, int]
    events: dict[str, dict[Level, int]]
    findings: list[LazyText] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        def levels(counts: dict[Level, int]) -> dict[str, int]:
            return {level.value: counts.get(level, 0) for level in Level}

        return {
            "year": self.year,
            "window": {
                "start": self.window_start.isoformat(),
                "end": self.window_end.isoformat(),
                "confirmed": self.window_confirmed,
            },
            "held_by_level": levels(self.held_by_level),
            "events": {kind: levels(counts) for kind, counts in self.events.items()},
            "findings": [finding.render("vi") for finding in self.findings],
        }


def reporting_window(year: int) -> tuple[date, date, bool]:
    """The reporting window of the legal basis in force at the year's end (configurable),
    and whether its dates were checked against the text."""
    basis = basis_on(date(year, 12, 31))
    start, end = basis.reporting_window.for_year(year)
    return start, end, basis.reporting_window.confirmed


class StatisticsService:
    def __init__(
        self,
        ctx: ServiceContext,
        handovers: HandoverService | None = None,
        classification: ClassificationService | None = None,
    ) -> None:
        """The composition root (app.py) passes the collaborators; a caller that only needs
        the reporting window may leave them out (built on first use)."""
        self.ctx = ctx
        self._handovers = handovers
        self._classification = classification

    @property
    def handovers(self) -> HandoverService:
        if self._handovers is None:
            self._handovers = HandoverService(self.ctx)
        return self._handovers

    @property
    def classification(self) -> ClassificationService:
        if self._classification is None:
            self._classification = ClassificationService(self.ctx)
        return self._classification

    def annual(self, year: int) -> AnnualStatistics:
        conn = self.ctx.read()
        start, end, confirmed = reporting_window(year)
        events = statistics.event_counts(conn, start.isoformat(), end.isoformat())
        return AnnualStatistics(
            year=year,
            window_start=start,
            window_end=end,
            window_confirmed=confirmed,
            held_by_level=statistics.held_by_level(conn),
            events=events,
            findings=self.findings(start, end),
        )

    def findings(self, start: date, end: date) -> list[LazyText]:
        """What a self-inspection must look at: late receipts, expiring items, refusals."""
        conn = self.ctx.read(Permission.READ)
        found: list[LazyText] = []
        as_of = min(end, self.ctx.today())  # a report made before the window ends
        late = self.handovers.overdue(as_of)
        if late:
            found.append(
                plural_text(
                    len(late),
                    N_("{count} handover without a signed receipt past its deadline."),
                    N_("{count} handovers without a signed receipt past their deadline."),
                    count=len(late),
                )
            )
        soon = [w for w in self.classification.expiring(end) if not w.expired]
        expiring = len(soon)
        closing = sum(w.extension_window_closing for w in soon)
        if expiring:
            found.append(
                plural_text(
                    expiring,
                    N_(
                        "{count} item reaches the end of its protection period "
                        "within 90 days ({closing} with the extension window "
                        "closing)."
                    ),
                    N_(
                        "{count} items reach the end of their protection period "
                        "within 90 days ({closing} with the extension window "
                        "closing)."
                    ),
                    count=expiring,
                    closing=closing,
                )
            )
        attempts = statistics.audit_count(
            conn, OVER_AUTHORISATION, start.isoformat(), end.isoformat()
        )
        if attempts:
            found.append(
                plural_text(
                    attempts,
                    N_("{count} attempt to record more copies than authorised was refused."),
                    N_("{count} attempts to record more copies than authorised were refused."),
                    count=attempts,
                )
            )
        tampering = statistics.incident_count(conn, "tampering", start.isoformat(), end.isoformat())
        if tampering:
            found.append(
                plural_text(
                    tampering,
                    N_("{count} envelope showed signs of tampering."),
                    N_("{count} envelopes showed signs of tampering."),
                    count=tampering,
                )
            )
        if not found:
            found.append(LazyText(N_("No irregularity found in the register.")))
        return found
