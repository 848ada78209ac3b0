"""Schema 12: two lookups that read the whole table at a million items (issue 16).

- ``entry_items_by_year`` serves the registers filtered by year without a register chosen:
  the item entries of one year, newest first (the index holds the rowid after the year, so
  an equality on the year reads its entries in id order, backwards). An item and its entry
  are written together, so entry order is item order; the first page reads one page of the
  index instead of walking back from the newest item through every later year.
- ``audit_event_by_action`` serves the look-ups by action the self-test, the reprint count
  and the permit decisions make (the last re-key, the last recovery, users added alone):
  an equality on the action reads its events in log order; before, each read the whole log.
"""

VERSION = 12

_ITEM_KINDS = "kind IN ('incoming', 'internal', 'outgoing')"

STATEMENTS = (
    f"CREATE INDEX entry_items_by_year ON entry(year) WHERE {_ITEM_KINDS}",
    "CREATE INDEX audit_event_by_action ON audit_event(action)",
)
