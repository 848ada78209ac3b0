"""Files the user asked for (a PDF to print or keep): written atomically, owner-only."""

from __future__ import annotations

from pathlib import Path

from secretdesk.system.atomic import write_atomic


def save_private(path: Path, data: bytes) -> None:
    write_atomic(Path(path), data)
