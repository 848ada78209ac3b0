"""Write or update a Vietnamese PO file from a {msgid: msgstr} dict (developer tool).

Usage: python packaging/po_write.py resources/locale/vi/LC_MESSAGES/secretdesk.po table.py
where table.py defines T = {...}. Existing entries are kept; new ones appended.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from secretdesk.i18n import read_po


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def main(po_path: str, table_path: str) -> None:
    path = Path(po_path)
    existing = dict(read_po(path.read_text(encoding="utf-8"))) if path.exists() else {}
    table: dict[str, str] = runpy.run_path(table_path)["T"]
    merged = {**existing, **table}
    lines = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Language: vi\\n"',
        "",
    ]
    for msgid, msgstr in merged.items():
        lines += [f"msgid {quote(msgid)}", f"msgstr {quote(msgstr)}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
