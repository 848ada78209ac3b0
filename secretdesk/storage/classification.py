"""Level changes, extensions and declassifications of items."""

from __future__ import annotations

from datetime import date

from secretdesk.domain.protection import Extension
from secretdesk.storage.sqlite import Connection


def extensions_of(conn: Connection, item_id: int) -> list[Extension]:
    rows = conn.execute(
        "SELECT decided_on, years FROM extension WHERE item_id = ? ORDER BY decided_on, id",
        (item_id,),
    )
    return [Extension(date.fromisoformat(str(r[0])), int(r[1])) for r in rows]
