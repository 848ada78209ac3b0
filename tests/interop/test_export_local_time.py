"""The report.pdf inside a signed export shows local time, like the directly printed report.

Under TZ=Asia/Ho_Chi_Minh, 2026-11-02 20:30 UTC is 03:30 on 03/11/2026 local time. The export
used to stamp its report in UTC (20:30, 02 tháng 11), so the signed paper showed the wrong day.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from secretdesk.system.clock import FixedClock
from tests.helpers import new_app


@pytest.fixture
def vietnam_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        yield
    finally:
        monkeypatch.undo()
        time.tzset()


def pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return " ".join(out.stdout.decode("utf-8").split())


def test_exported_report_shows_the_local_day_and_time(vietnam_time: None, tmp_path: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 2, 20, 30, tzinfo=UTC))
    opened, _code = new_app(tmp_path / "vault", clock=clock)
    try:
        printed = tmp_path / "printed.pdf"
        printed.write_bytes(opened.printing.annual(2026))
        stick = tmp_path / "stick"
        stick.mkdir()
        result = opened.exports.export("annual", "2026", stick, explicitly_chosen_folder=True)
    finally:
        opened.close()
    direct = pdf_text(printed)
    exported = pdf_text(result.folder / "report.pdf")
    for text in (direct, exported):
        assert "ngày 03 tháng 11" in text
        assert "03:30" in text
        assert "20:30" not in text
        assert "02 tháng 11" not in text
