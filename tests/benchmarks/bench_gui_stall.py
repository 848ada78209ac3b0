"""The longest GUI-thread stall while 10,000 rows are imported and while a 10,000-entry register
is printed to the print preview. Target: under 100 ms each.

Run: ``python -m tests.benchmarks.bench_gui_stall`` (not part of the test run; offscreen).
Prints JSON ``{"import_rows", "import_s", "import_max_stall_ms", "preview_s",
"preview_max_stall_ms", "preview_pages", ...}`` and exits 1 when a stall reaches 100 ms.
The stall is the longest gap between ticks of a 5 ms timer on the GUI thread while the work
runs on the vault's worker (the import and the rendering), the preview takes the document over
and then for one more second (``SETTLE_S``: the view lays out and paints its pages, the garbage
collector catches up on the GUI thread).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from secretdesk import app as app_module
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.domain.items import Direction
from secretdesk.gui.dialogs.print_preview import PrintPreview
from secretdesk.gui.tasks import TaskRunner
from secretdesk.services.importer import ImportService
from secretdesk.services.setup import UnitSetup
from secretdesk.system.clock import FixedClock

ROWS = 10_000
TARGET_MS = 100.0
SETTLE_S = 1.0
UNIT = UnitSetup(name="Sở Tư pháp tỉnh Quảng Ngãi", code="STP-QNG", superior_body="", place="")


class StallMeter:
    """Ticks every 5 ms on the GUI thread and keeps the longest gap between two ticks."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def run_until(self, done: Callable[[], bool], timeout_s: float = 600.0) -> float:
        """Spin the event loop until ``done()``; returns the seconds it took."""
        self.longest = 0.0
        start = self._last = time.perf_counter()
        self._timer.start()
        loop = QEventLoop()
        while not done():
            if time.perf_counter() - start > timeout_s:
                raise TimeoutError("the work did not finish")
            QTimer.singleShot(5, loop.quit)
            loop.exec()
        self._timer.stop()
        return time.perf_counter() - start


def csv_rows(rows: int) -> bytes:
    lines = ["number_symbol,doc_date,level,copies,summary"]
    for n in range(1, rows + 1):
        level = ("mat", "toi-mat")[n % 2]
        lines.append(f"{n}/QĐ-STP,{n % 28 + 1:02d}/{n % 9 + 1:02d}/2026,{level},1,Báo cáo số {n}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> int:
    qapp = QApplication(sys.argv[:1])
    runner = TaskRunner()
    meter = StallMeter()
    result: dict[str, object] = {"rows": ROWS}
    with tempfile.TemporaryDirectory(prefix="sd-bench-gui-") as work:
        clock = FixedClock(datetime(2026, 11, 2, 8, 30, tzinfo=UTC))
        got: list[object] = []

        def call(work: Callable[[], object]) -> object:
            got.clear()
            runner.submit(work, got.append, got.append)
            meter.run_until(lambda: bool(got))
            if isinstance(got[0], BaseException):
                raise got[0]
            return got[0]

        opened: app_module.App = call(  # type: ignore[assignment]
            lambda: app_module.create(
                Path(work) / "vault", UNIT, "admin", "x" * 12, params=TEST_PARAMS, clock=clock
            )[0]
        )
        data = csv_rows(ROWS)
        importer = ImportService(opened.ctx)
        got.clear()
        runner.submit(
            lambda: importer.import_bytes(data, "rows.csv", Direction.INCOMING),
            got.append,
            got.append,
        )
        result["import_s"] = round(meter.run_until(lambda: bool(got)), 2)
        if isinstance(got[0], BaseException):
            raise got[0]
        result["import_max_stall_ms"] = round(meter.longest * 1000, 1)

        printing = opened.printing
        preview = PrintPreview(
            runner, "bench", lambda: printing.register("incoming", 2026), "register.pdf"
        )
        preview.show()
        result["preview_s"] = round(meter.run_until(lambda: preview.ready), 2)
        longest = meter.longest
        settled = time.perf_counter() + SETTLE_S
        meter.run_until(lambda: time.perf_counter() > settled)
        result["preview_max_stall_ms"] = round(max(longest, meter.longest) * 1000, 1)
        result["preview_pages"] = preview.document.pageCount()
        result["preview_pdf_bytes"] = len(preview.pdf_bytes)
        preview.close()
        call(opened.close)
    runner.shutdown()
    result["target_ms"] = TARGET_MS
    stalls = (result["import_max_stall_ms"], result["preview_max_stall_ms"])
    result["ok"] = all(float(str(s)) < TARGET_MS for s in stalls)
    print(json.dumps(result))
    del qapp
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
