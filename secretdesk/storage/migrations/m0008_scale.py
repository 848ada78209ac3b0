"""Schema 8: registers that stay fast at a million items (issue 16).

- ``entry_register_order`` serves the register's own order (newest year, then register, then
  number, newest first) for the three item registers, so a first page reads one page of the
  index instead of sorting every entry; with a register filter the ``UNIQUE (kind, year,
  number)`` index serves it, read backwards.
- ``item_fts`` indexes the folded search text by trigrams: a word of three characters or more
  is found anywhere inside the text (as ``LIKE '%word%'`` did) without reading every row, and
  the matches come out newest first (``ORDER BY rowid DESC``) without being sorted.
- ``item_words`` indexes the same text by words with prefix indexes of one and two characters,
  for shorter search words, which trigrams cannot find.
- Both are external-content tables over ``item.search_text`` kept in step by triggers (items
  are never deleted; their search text changes with their level).
- Lookups by copy or item that read whole tables before (is this copy on an open handover,
  a permit, a destruction case; an item's extensions, level changes, reproductions) get
  their indexes, so recording a handover costs the same in the first year and the tenth.
- The B-tree index on ``search_text`` served no search (``LIKE '%w%'`` cannot use it) and is
  dropped.
"""

VERSION = 8

_ITEM_KINDS = "kind IN ('incoming', 'internal', 'outgoing')"

STATEMENTS = (
    f"""
    CREATE INDEX entry_register_order ON entry(year DESC, kind, number DESC)
    WHERE {_ITEM_KINDS}
    """,
    "DROP INDEX item_search",
    "CREATE INDEX handover_copy_by_copy ON handover_copy(copy_id, handover_id)",
    "CREATE INDEX handover_by_status ON handover(status)",
    "CREATE INDEX permit_copy_by_copy ON permit_copy(copy_id)",
    "CREATE INDEX destruction_copy_by_copy ON destruction_copy(copy_id)",
    "CREATE INDEX extension_by_item ON extension(item_id)",
    "CREATE INDEX level_change_by_item ON level_change(item_id)",
    "CREATE INDEX declassification_by_item ON declassification(item_id)",
    "CREATE INDEX reproduction_by_item ON reproduction(item_id)",
    "CREATE INDEX incident_by_copy ON incident(copy_id)",
    """
    CREATE VIRTUAL TABLE item_fts USING fts5(
        search_text, content='item', content_rowid='id', tokenize='trigram', detail='none'
    )
    """,
    """
    CREATE VIRTUAL TABLE item_words USING fts5(
        search_text, content='item', content_rowid='id', tokenize='unicode61',
        prefix='1 2', detail='none'
    )
    """,
    """
    CREATE TRIGGER item_search_insert AFTER INSERT ON item BEGIN
        INSERT INTO item_fts(rowid, search_text) VALUES (NEW.id, NEW.search_text);
        INSERT INTO item_words(rowid, search_text) VALUES (NEW.id, NEW.search_text);
    END
    """,
    """
    CREATE TRIGGER item_search_update AFTER UPDATE OF search_text ON item BEGIN
        INSERT INTO item_fts(item_fts, rowid, search_text)
            VALUES ('delete', OLD.id, OLD.search_text);
        INSERT INTO item_fts(rowid, search_text) VALUES (NEW.id, NEW.search_text);
        INSERT INTO item_words(item_words, rowid, search_text)
            VALUES ('delete', OLD.id, OLD.search_text);
        INSERT INTO item_words(rowid, search_text) VALUES (NEW.id, NEW.search_text);
    END
    """,
    "INSERT INTO item_fts(item_fts) VALUES ('rebuild')",
    "INSERT INTO item_words(item_words) VALUES ('rebuild')",
)
