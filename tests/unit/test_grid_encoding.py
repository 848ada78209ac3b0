"""The grid's cached line encoding writes the same PDF bytes as reportlab's own textLine."""

from __future__ import annotations

import pytest

from secretdesk.reports import grid
from secretdesk.reports.fonts import register_fonts
from secretdesk.reports.registers import render_register
from tests.benchmarks.bench_register import STAMP, register


def test_cached_line_encoding_gives_the_same_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    data = register(120)  # several pages, cancelled rows, Vietnamese marks, repeated cells
    fonts = register_fonts("shipped")
    calls: list[str] = []
    cached = grid._text_line

    def counted(text: object, value: str) -> None:
        calls.append(value)
        cached(text, value)  # type: ignore[arg-type]

    monkeypatch.setattr(grid, "_text_line", counted)
    fast = render_register(data, None, STAMP, fonts=fonts)
    monkeypatch.setattr(grid, "_text_line", lambda text, value: text.textLine(value))
    plain = render_register(data, None, STAMP, fonts=fonts)
    assert len(calls) > 120 * 5
    assert fast == plain
