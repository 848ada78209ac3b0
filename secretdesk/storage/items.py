"""Items and their copies, with every custody change kept as history."""

from __future__ import annotations

from typing import Any

from secretdesk.domain.copies import Copy, CopyKind
from secretdesk.domain.custody import CopyState, Custody
from secretdesk.domain.items import Item, Registration
from secretdesk.domain.levels import Level
from secretdesk.storage.sqlite import Connection

# The old row names, for code written before the domain types (remove once unused).
ItemRow = Item
CopyRow = Copy


_ITEM = (
    "item.id, item.entry_id, entry.kind, entry.year, entry.number, entry.cancelled,"
    " direction, container, number_symbol, doc_date, doc_type, issuer, summary, level,"
    " urgency, pages, classifier, classified_on, shorter_until, copying_allowed, recall_by,"
    " named_addressee, addressee_opened_at, origin, recipients, copies_issued, drafter,"
    " storage_location, legal_basis, item.created_at"
)
_ITEM_FROM = "FROM item JOIN entry ON entry.id = item.entry_id"
_COPY = "id, item_id, kind, number, reproduction_id, state, holder"


def _item(row: Any) -> Item:
    values = list(row)
    values[5] = bool(values[5])
    values[13] = Level(values[13])
    values[19] = bool(values[19])
    return Item(*values)


def _copy(row: Any) -> Copy:
    return Copy(
        int(row[0]),
        int(row[1]),
        CopyKind(row[2]),
        int(row[3]),
        row[4],
        CopyState(row[5]),
        str(row[6]),
    )


def insert_item(
    conn: Connection,
    reg: Registration,
    *,
    entry_id: int,
    legal_basis: str,
    classified_on: str,
    created_at: str,
) -> int:
    cursor = conn.execute(
        "INSERT INTO item (entry_id, direction, container, number_symbol, doc_date, doc_type,"
        " issuer, summary, summary_consent, level, urgency, pages, classifier, classified_on,"
        " shorter_until, copying_allowed, recall_by, named_addressee, origin, recipients,"
        " copies_issued, drafter, storage_location, legal_basis, search_text, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            entry_id,
            reg.direction.value,
            reg.container.value,
            reg.number_symbol,
            reg.doc_date.isoformat(),
            reg.doc_type,
            reg.issuer,
            reg.summary or None,
            int(reg.summary_consent),
            reg.level.value,
            reg.urgency.value if reg.urgency else None,
            reg.pages,
            reg.classifier,
            classified_on,
            reg.shorter_until.isoformat() if reg.shorter_until else None,
            int(reg.copying_allowed),
            reg.recall_by.isoformat() if reg.recall_by else None,
            reg.named_addressee or None,
            reg.origin_or_default.value,
            reg.recipients,
            reg.copies,
            reg.drafter,
            reg.storage_location,
            legal_basis,
            reg.search_text(),
            created_at,
        ),
    )
    return int(cursor.lastrowid)


def get_item(conn: Connection, item_id: int) -> Item | None:
    row = conn.execute(f"SELECT {_ITEM} {_ITEM_FROM} WHERE item.id = ?", (item_id,)).fetchone()
    return None if row is None else _item(row)


def register_entries(conn: Connection, item_ids: list[int]) -> dict[int, tuple[str, int, int]]:
    """Each item's register entry (book, number, year), in one query."""
    if not item_ids:
        return {}
    marks = ", ".join("?" for _ in item_ids)
    rows = conn.execute(
        f"SELECT item.id, entry.kind, entry.number, entry.year {_ITEM_FROM}"
        f" WHERE item.id IN ({marks})",
        item_ids,
    )
    return {int(row[0]): (str(row[1]), int(row[2]), int(row[3])) for row in rows}


# The three registers items are entered in.
_ITEM_KINDS = "entry.kind IN ('incoming', 'internal', 'outgoing')"


def list_items(
    conn: Connection,
    *,
    folded_words: list[str] | None = None,
    kind: str | None = None,
    year: int | None = None,
    level: Level | None = None,
    limit: int = 200,
    after: Item | None = None,
    levels: tuple[Level, ...] | None = None,
) -> list[Item]:
    """One page of items: in register order, or newest first when searching.

    ``levels`` (when given) keeps only those levels (the reader's clearance).

    ``after`` is the last row of the previous page (keyset pagination): the next page starts
    right after it through an index, however deep it is, instead of skipping an OFFSET.
    """
    filters, params = _item_filters(kind, year, level, levels)
    words = [w for w in folded_words or [] if w]
    if words:
        return _search(conn, words, filters, params, limit, after)
    return _in_register_order(conn, kind, year, filters, params, limit, after)


def count_items(
    conn: Connection,
    *,
    folded_words: list[str] | None = None,
    kind: str | None = None,
    year: int | None = None,
    level: Level | None = None,
    levels: tuple[Level, ...] | None = None,
) -> int:
    """How many items match (used to say how many were left out above a clearance)."""
    filters, params = _item_filters(kind, year, level, levels)
    for word in folded_words or []:
        filters.append("instr(item.search_text, ?) > 0")
        params.append(word)
    where = " AND ".join(filters) or "1 = 1"
    return int(conn.execute(f"SELECT count(*) {_ITEM_FROM} WHERE {where}", params).fetchone()[0])


def _item_filters(
    kind: str | None,
    year: int | None,
    level: Level | None,
    levels: tuple[Level, ...] | None,
) -> tuple[list[str], list[Any]]:
    filters: list[str] = []
    params: list[Any] = []
    if levels is not None:
        filters.append(f"item.level IN ({', '.join('?' for _ in levels) or 'NULL'})")
        params.extend(lv.value for lv in levels)
    if kind:
        filters.append("entry.kind = ?")
        params.append(kind)
    if year:
        filters.append("entry.year = ?")
        params.append(year)
    if level:
        filters.append("item.level = ?")
        params.append(level.value)
    return filters, params


def _search(
    conn: Connection,
    words: list[str],
    filters: list[str],
    params: list[Any],
    limit: int,
    after: Item | None,
) -> list[Item]:
    """Every word inside the folded text, newest first, read from the full-text index.

    Words of three characters or more go through the trigram index (a substring anywhere);
    when there are only shorter words, the word index finds words that start with them. The
    index yields rowids in descending order, so the LIMIT stops the scan early: the matches
    are never all read and sorted. ``instr`` checks the exact substring on the few rows read
    (the index's LIKE treats ``%`` and ``_`` as wildcards).
    """
    long_words = [w for w in words if len(w) >= 3]
    where: list[str] = []
    args: list[Any] = []
    if long_words:
        source = "item_fts"
        for word in long_words:
            where.append("item_fts.search_text LIKE ?")
            args.append(f"%{word}%")
    else:
        source = "item_words"
        where.append("item_words MATCH ?")
        args.append(" AND ".join('"' + w.replace('"', '""') + '"*' for w in words))
    for word in words:
        where.append("instr(item.search_text, ?) > 0")
        args.append(word)
    where.extend(filters)
    args.extend(params)
    if after is not None:
        where.append(f"{source}.rowid < ?")
        args.append(after.id)
    sql = (
        f"SELECT {_ITEM} FROM {source} CROSS JOIN item ON item.id = {source}.rowid"
        f" CROSS JOIN entry ON entry.id = item.entry_id WHERE {' AND '.join(where)}"
        f" ORDER BY {source}.rowid DESC LIMIT ?"
    )
    return [_item(r) for r in conn.execute(sql, [*args, limit])]


def _in_register_order(
    conn: Connection,
    kind: str | None,
    year: int | None,
    filters: list[str],
    params: list[Any],
    limit: int,
    after: Item | None,
) -> list[Item]:
    """Newest first, through an index.

    With a register chosen, its own order: newest year, then number, newest first (the
    ``UNIQUE (kind, year, number)`` index read backwards); a page after ``after`` is read as
    two index ranges in turn (the rest of its year, then the earlier years). Across the
    registers, the newest registered first (the item's rowid read backwards), so ``item list
    --limit N`` shows the last N items whichever register they are in; with a year chosen,
    that year's entries read backwards (``entry_items_by_year``, schema 12), the same order
    because an item and its entry are written together.
    """
    if not kind:
        # The table read backwards, and the other joined to it: with a year, the entries of
        # that year; else the items. Either key is "newest registered first".
        lead, other, key, last = (
            ("entry", "item ON item.entry_id = entry.id", "entry.id", after and after.entry_id)
            if year
            else ("item", "entry ON entry.id = item.entry_id", "item.id", after and after.id)
        )
        where = [_ITEM_KINDS, *filters]
        args = list(params)
        if last is not None:
            where.append(f"{key} < ?")
            args.append(last)
        sql = (
            f"SELECT {_ITEM} FROM {lead} CROSS JOIN {other}"
            f" WHERE {' AND '.join(where)} ORDER BY {key} DESC LIMIT ?"
        )
        return [_item(r) for r in conn.execute(sql, [*args, limit])]

    ranges: list[tuple[list[str], list[Any]]] = [([], [])]
    if after is not None:
        y, n = after.year, after.number
        ranges = [
            (["entry.year = ?", "entry.number < ?"], [y, n]),
            (["entry.year < ?"], [y]),
        ]
    found: list[Item] = []
    for extra, extra_args in ranges:
        where_sql = " AND ".join([*filters, *extra]) or "1 = 1"
        sql = (
            f"SELECT {_ITEM} FROM entry CROSS JOIN item ON item.entry_id = entry.id"
            f" WHERE {where_sql} ORDER BY entry.year DESC, entry.number DESC LIMIT ?"
        )
        rows = conn.execute(sql, [*params, *extra_args, limit - len(found)])
        found.extend(_item(r) for r in rows)
        if len(found) >= limit:
            break
    return found


def set_level(conn: Connection, item_id: int, level: Level, search_text: str) -> None:
    """A new level, with the search text rebuilt for it (see domain.items.search_text)."""
    conn.execute(
        "UPDATE item SET level = ?, search_text = ? WHERE id = ?",
        (level.value, search_text, item_id),
    )


def mark_opened(conn: Connection, item_id: int, at: str) -> None:
    conn.execute("UPDATE item SET addressee_opened_at = ? WHERE id = ?", (at, item_id))


# -- copies ------------------------------------------------------------------------------
def insert_copy(
    conn: Connection,
    *,
    item_id: int,
    kind: str,
    number: int,
    custody: Custody,
    created_at: str,
    actor: str,
    reproduction_id: int | None = None,
    reference: str = "",
) -> int:
    cursor = conn.execute(
        "INSERT INTO copy (item_id, kind, number, reproduction_id, state, holder, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (item_id, kind, number, reproduction_id, custody.state.value, custody.holder, created_at),
    )
    copy_id = int(cursor.lastrowid)
    conn.execute(
        "INSERT INTO custody_event (copy_id, action, from_state, to_state, holder, at_utc,"
        " actor, reference) VALUES (?, 'create', NULL, ?, ?, ?, ?, ?)",
        (copy_id, custody.state.value, custody.holder, created_at, actor, reference),
    )
    return copy_id


def get_copy(conn: Connection, copy_id: int) -> Copy | None:
    row = conn.execute(f"SELECT {_COPY} FROM copy WHERE id = ?", (copy_id,)).fetchone()
    return None if row is None else _copy(row)


def copies_of(conn: Connection, item_id: int) -> list[Copy]:
    return [
        _copy(r)
        for r in conn.execute(
            f"SELECT {_COPY} FROM copy WHERE item_id = ? ORDER BY kind, number", (item_id,)
        )
    ]


def next_copy_number(conn: Connection, item_id: int, kind: str) -> int:
    row = conn.execute(
        "SELECT coalesce(max(number), 0) FROM copy WHERE item_id = ? AND kind = ?",
        (item_id, kind),
    ).fetchone()
    return int(row[0]) + 1


def move_copy(
    conn: Connection,
    copy: Copy,
    to: Custody,
    *,
    action: str,
    at_utc: str,
    actor: str,
    reference: str = "",
) -> None:
    """Change a copy's state and holder, keeping the step in its custody history."""
    conn.execute(
        "UPDATE copy SET state = ?, holder = ? WHERE id = ?",
        (to.state.value, to.holder, copy.id),
    )
    conn.execute(
        "INSERT INTO custody_event (copy_id, action, from_state, to_state, holder, at_utc,"
        " actor, reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (copy.id, action, copy.state.value, to.state.value, to.holder, at_utc, actor, reference),
    )


def custody_history(conn: Connection, copy_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT action, from_state, to_state, holder, at_utc, actor, reference"
        " FROM custody_event WHERE copy_id = ? ORDER BY id",
        (copy_id,),
    )
    keys = ("action", "from_state", "to_state", "holder", "at_utc", "actor", "reference")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def on_open_handover(conn: Connection, copy_id: int) -> int | None:
    row = conn.execute(
        "SELECT handover.id FROM handover JOIN handover_copy ON handover_copy.handover_id ="
        " handover.id WHERE handover_copy.copy_id = ? AND handover.status = 'open' LIMIT 1",
        (copy_id,),
    ).fetchone()
    return None if row is None else int(row[0])
