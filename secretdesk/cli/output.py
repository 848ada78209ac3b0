"""How the CLI speaks: plain text for people, JSON with --json for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from secretdesk.domain.levels import Level
from secretdesk.i18n import _, current_language


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

    def table(
        self,
        rows: list[dict[str, Any]],
        columns: list[tuple[str, str]],
        plain: Mapping[str, Callable[[Any], object]] | None = None,
    ) -> None:
        """``columns`` are (key, heading) pairs; JSON mode prints the rows as a list.

        ``plain`` maps a key to how its raw value reads to a person (a translated label, a
        dd/mm/yyyy date); it is used for the text table only, so JSON keeps the raw values.
        Yes/no values read as a tick or nothing.
        """
        if self.as_json:
            self.result(rows)
            return
        shown = [
            {key: cell(row.get(key), (plain or {}).get(key)) for key, _ in columns} for row in rows
        ]
        widths = [
            max([len(heading), *(len(row[key]) for row in shown)]) for key, heading in columns
        ]
        lines = ["  ".join(h.ljust(w) for (_, h), w in zip(columns, widths, strict=True))]
        for row in shown:
            lines.append(
                "  ".join(row[k].ljust(w) for (k, _), w in zip(columns, widths, strict=True))
            )
        self.stream.write("\n".join(line.rstrip() for line in lines) + "\n")


def cell(value: Any, shape: Callable[[Any], object] | None = None) -> str:
    """One table cell as text: ``shape`` applied, yes/no as a tick, nothing as empty."""
    if shape is not None and value is not None and value != "":
        value = shape(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    return str(value)


def _plain(data: Any) -> str:
    if isinstance(data, dict):
        return "\n".join(f"{key}: {value}" for key, value in data.items())
    if isinstance(data, list):
        return "\n".join(_plain(item) for item in data)
    return str(data)


def labelled(names: Mapping[str, str]) -> Callable[[Any], str]:
    """How a raw value (``dispatch``) reads: its translated label from ``names``."""

    def label(value: Any) -> str:
        name = names.get(str(value))
        return _(name) if name else str(value)

    return label


def level_label(value: Any) -> str:
    """A level slug (``toi-mat``) in the current language (``Tối mật``)."""
    return Level(value).label(current_language())
