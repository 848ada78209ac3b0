"""Adversarial review of issue 13: .xlsx workbooks that exhausted memory with no DTD at all
(deep nesting, a long run of elements openpyxl keeps), read under the same 1.5 GB limit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from secretdesk.services.importer import read_table
from tests.integration.test_xlsx_bombs import CHILD, FIXTURE, LIMIT, SHEET, sheet, workbook

DEPTH = 9_000_000

BOMBS = {
    "nested sheet": workbook({SHEET: sheet("<a>" * DEPTH + "</a>" * DEPTH).encode()}),
    "run of unknown elements": workbook({SHEET: sheet("<a/>" * 16_000_000).encode()}),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_xml_shape_bombs_are_refused_in_bounded_memory(name: str, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(BOMBS[name])
    assert path.stat().st_size < 256 * 1024
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(limit=LIMIT), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("REFUSED"), result.stdout
    assert "nested deeper" in result.stdout or "in one place" in result.stdout


def test_the_real_workbook_still_reads() -> None:
    rows, _kind, _detail = read_table(FIXTURE.read_bytes())
    assert len(rows) > 1
