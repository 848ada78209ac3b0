"""The office's check that a received report's figures hold together and stay in bounds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from secretdesk.domain.levels import Level
from secretdesk.i18n import N_, LazyText

MAX_COUNT = 10_000_000  # no unit holds or handles ten million documents in a year


def figures_problem(report: Mapping[str, Any]) -> LazyText | None:
    """The first way the report's figures contradict themselves or leave sane bounds: every
    count a non-negative whole number below MAX_COUNT; the window inside its year's reach and
    in order; the incoming items registered in the window, by level, as many as the list of
    them; the parallel lists of each dispatch of equal length."""

    def bad(value: Any) -> bool:
        return isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < MAX_COUNT

    stats = report.get("statistics")
    if stats is not None:
        counts = [stats["held_by_level"], *stats["events"].values()]
        for by_level in counts:
            if any(bad(v) for v in by_level.values()):
                return LazyText(
                    N_("a count is not a whole number between 0 and {limit}."), limit=MAX_COUNT
                )
        window = stats["window"]
        if window["start"] > window["end"]:
            return LazyText(N_("the reporting window ends before it starts."))
        if stats["year"] != int(report["period"]):
            return LazyText(N_("the statistics are for another year than the package."))
        registered = stats["events"].get("registered_incoming")
        received = report.get("received")
        if registered is not None and received is not None:
            listed = {level.value: 0 for level in Level}
            for row in received:
                listed[row["level"]] = listed.get(row["level"], 0) + 1
            if any(registered.get(level, 0) != n for level, n in listed.items()):
                return LazyText(
                    N_("the incoming items registered, counted by level, are not the ones listed.")
                )
    for row in report.get("dispatched", []):
        lengths = {len(row["number_symbols"]), len(row["levels"])}
        if "copies" in row:
            lengths.add(len(row["copies"]))
            if any(bad(v) for v in row["copies"]):
                return LazyText(
                    N_("a count is not a whole number between 0 and {limit}."), limit=MAX_COUNT
                )
        if len(lengths) != 1:
            return LazyText(
                N_("dispatch {number} lists items, levels and copies of different lengths."),
                number=row["number"],
            )
    return None
