"""Schema 7: what an inspector asks of each item beyond the register line (LEGAL-CHECK §3.2).

``item_legal`` (at most one row per item, written when the item is registered):
- who consented to recording a Tuyệt mật summary and when (ND26 Art. 4.1: the person
  competent to classify); the item's own ``summary_consent`` flag stays the rule's switch;
- the item's basis in the list of state secrets (danh mục bí mật nhà nước): the decision
  that issued the list and the entry in it (Law 2025 forbids classifying what is not listed);
- the unit or person holding the file copy (đơn vị, người nhận bản lưu), printed in the
  registers.

``permit_legal``: what ND26 Art. 5 asks of a take-out request beyond the permit row: the
requester's unit and post, and for taking items abroad (its own kind, Law 2018 Art. 14.2) the
head of the delegation it is reported to.

``incident_followup``: for a leak or loss, its cause, how it was handled and remedied, as the
yearly report's third part asks (ND26 Art. 8).

``destruction_legal``: the decision establishing the destruction council, the first paper of
the destruction dossier (Law 2018 Art. 23.4), cited by the minutes.

``approver_post``: the post (chức danh) the unit gives each approver, a code of the rule file
of the basis in force (copy authority, Law 2018 / Law 2025 Art. 11). Once the unit has given
any post, approvals of copies, provision and destruction check the approver's post.

Like the item, the item_legal row is never deleted; consent once recorded cannot be quietly removed
while a Tuyệt mật summary relies on it.
"""

VERSION = 7

STATEMENTS = (
    """
    CREATE TABLE item_legal (
        item_id INTEGER PRIMARY KEY REFERENCES item(id),
        summary_consent_by TEXT NOT NULL DEFAULT '',
        summary_consent_on TEXT,
        list_decision TEXT NOT NULL DEFAULT '',
        list_entry TEXT NOT NULL DEFAULT '',
        file_copy_holder TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    CREATE TABLE approver_post (
        username TEXT PRIMARY KEY,
        post TEXT NOT NULL CHECK (post <> ''),
        assigned_at TEXT NOT NULL,
        assigned_by TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE permit_legal (
        permit_id INTEGER PRIMARY KEY REFERENCES permit(id),
        abroad INTEGER NOT NULL DEFAULT 0 CHECK (abroad IN (0, 1)),
        requester_unit TEXT NOT NULL DEFAULT '',
        requester_position TEXT NOT NULL DEFAULT '',
        delegation_head TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    CREATE TRIGGER permit_legal_never_deleted BEFORE DELETE ON permit_legal
    BEGIN SELECT RAISE(ABORT, 'permit legal records are never deleted'); END
    """,
    """
    CREATE TABLE incident_followup (
        incident_id INTEGER PRIMARY KEY REFERENCES incident(id),
        cause TEXT NOT NULL DEFAULT '',
        handling TEXT NOT NULL DEFAULT '',
        remedy TEXT NOT NULL DEFAULT '',
        recorded_at TEXT NOT NULL,
        recorded_by TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE destruction_legal (
        case_id INTEGER PRIMARY KEY REFERENCES destruction_case(id),
        council_decision TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    CREATE TRIGGER item_legal_never_deleted BEFORE DELETE ON item_legal
    BEGIN SELECT RAISE(ABORT, 'item legal records are never deleted'); END
    """,
    """
    CREATE TRIGGER item_legal_consent_kept BEFORE UPDATE OF summary_consent_by ON item_legal
    WHEN OLD.summary_consent_by <> '' AND NEW.summary_consent_by = ''
        AND (SELECT coalesce(summary, '') FROM item WHERE id = OLD.item_id) <> ''
    BEGIN SELECT RAISE(ABORT, 'the consent a recorded summary relies on cannot be removed'); END
    """,
)
