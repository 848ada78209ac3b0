"""Schema 4: the Tuyệt mật summary rule follows the register book's legal basis.

Schema 2 checked a Tuyệt mật item's summary (trích yếu) against the ``legal_basis`` the item
row itself names, so a row claiming the 2020 basis inside a 2026 book was accepted by the
database. The basis in force is the one of the book the item's entry belongs to; the row's
own value is no longer trusted by the triggers.
"""

VERSION = 4

_BOOK_RULE = """
    (SELECT legal_basis.tuyet_mat_summary FROM entry
        JOIN book ON book.id = entry.book_id
        JOIN legal_basis ON legal_basis.code = book.legal_basis
        WHERE entry.id = NEW.entry_id)
"""

_WHEN = f"""
    WHEN NEW.level = 'tuyet-mat' AND coalesce(NEW.summary, '') <> '' AND (
        {_BOOK_RULE} = 'forbidden'
        OR ({_BOOK_RULE} = 'with_classifier_consent' AND NEW.summary_consent = 0))
    BEGIN SELECT RAISE(ABORT, 'tuyet-mat summary not allowed by the legal basis'); END
"""

STATEMENTS = (
    "DROP TRIGGER item_tuyet_mat_summary_insert",
    "DROP TRIGGER item_tuyet_mat_summary_update",
    f"CREATE TRIGGER item_tuyet_mat_summary_insert BEFORE INSERT ON item {_WHEN}",
    f"""CREATE TRIGGER item_tuyet_mat_summary_update BEFORE UPDATE OF level, summary,
        summary_consent, legal_basis, entry_id ON item {_WHEN}""",
)
