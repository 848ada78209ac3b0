"""Annual statistics and the self-inspection findings, from a real register."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from tests.helpers import new_app


def test_expiring_items_are_counted_and_cancelled_ones_are_not(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        # Mật items classified ten years before: protection ends 68 and 77 days after the
        # window (14/12/2026), and the 60-day extension deadline is still ahead.
        for number, classified in (("1/KH", date(2017, 2, 20)), ("2/KH", date(2017, 3, 1))):
            app.items.register(
                Registration(Direction.INCOMING, Level.MAT, number, date(2026, 10, 1), 1,
                             classified_on=classified)
            )  # fmt: skip
        cancelled = app.items.register(
            Registration(Direction.INCOMING, Level.MAT, "3/KH", date(2026, 10, 1), 1,
                         classified_on=date(2017, 2, 25))
        )  # fmt: skip
        app.registry.cancel("incoming", 2026, cancelled.number, "Ghi trùng")
        app.items.register(
            Registration(Direction.INCOMING, Level.MAT, "4/KH", date(2026, 10, 1), 1)
        )

        findings = [f.render("en") for f in app.statistics.annual(2026).findings]
        expiring = [f for f in findings if "protection period" in f]
        assert expiring == [
            "2 items reach the end of their protection period within 90 days "
            "(2 with the extension window closing)."
        ]
