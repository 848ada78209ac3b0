"""Schema 11: a destruction case withdrawn before it is carried out (issue 17).

``destruction_withdrawal``: one row per withdrawn case: the reason, who withdrew it, the
approver who countersigned (two-person control), when, and the status it had (proposed or
approved). The case row itself is closed (its status column, whose CHECK of schema 2 knows
no "withdrawn", reads "refused"), so its copies are no longer held; storage/destruction.py
reads a case with a withdrawal row as "withdrawn". The row is never updated nor deleted.

``foreign_representative``: for a provision to a foreign body or person (Art. 16), the
nationality and passport number of the body's representative the written request must give.
"""

VERSION = 11

STATEMENTS = (
    """
    CREATE TABLE destruction_withdrawal (
        case_id INTEGER PRIMARY KEY REFERENCES destruction_case(id),
        reason TEXT NOT NULL CHECK (reason <> ''),
        withdrawn_by TEXT NOT NULL,
        countersigned_by TEXT NOT NULL CHECK (countersigned_by <> withdrawn_by),
        withdrawn_at TEXT NOT NULL,
        status_before TEXT NOT NULL CHECK (status_before IN ('proposed', 'approved'))
    )
    """,
    """
    CREATE TRIGGER destruction_withdrawal_no_update BEFORE UPDATE ON destruction_withdrawal
    BEGIN SELECT RAISE(ABORT, 'a withdrawal is never changed'); END
    """,
    """
    CREATE TABLE foreign_representative (
        permit_id INTEGER PRIMARY KEY REFERENCES permit(id),
        nationality TEXT NOT NULL CHECK (nationality <> ''),
        passport TEXT NOT NULL CHECK (passport <> '')
    )
    """,
    """
    CREATE TRIGGER destruction_withdrawal_no_delete BEFORE DELETE ON destruction_withdrawal
    BEGIN SELECT RAISE(ABORT, 'a withdrawal is never deleted'); END
    """,
)
