"""How the CLI speaks: plain text for people, JSON with --json for scripts."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO


class Output:
    def __init__(self, as_json: bool, stream: TextIO | None = None) -> None:
        self.as_json = as_json
        self.stream = stream or sys.stdout

    def result(self, data: Any, text: str | None = None) -> None:
        """Print ``data`` as JSON, or ``text`` (default: a readable form of ``data``)."""
        if self.as_json:
            json.dump(data, self.stream, ensure_ascii=False, indent=2, default=str)
            self.stream.write("\n")
        else:
            self.stream.write((text if text is not None else _plain(data)) + "\n")

    def table(self, rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> None:
        """``columns`` are (key, heading) pairs; JSON mode prints the rows as a list."""
        if self.as_json:
            self.result(rows)
            return
        widths = [
            max([len(heading), *(len(str(row.get(key, ""))) for row in rows)])
            for key, heading in columns
        ]
        lines = ["  ".join(h.ljust(w) for (_, h), w in zip(columns, widths, strict=True))]
        for row in rows:
            cells = (
                str(row.get(k, "")).ljust(w) for (k, _), w in zip(columns, widths, strict=True)
            )
            lines.append("  ".join(cells).rstrip())
        self.stream.write("\n".join(lines) + "\n")


def _plain(data: Any) -> str:
    if isinstance(data, dict):
        return "\n".join(f"{key}: {value}" for key, value in data.items())
    if isinstance(data, list):
        return "\n".join(_plain(item) for item in data)
    return str(data)
