"""Schema 2: register books and entries, items, copies, handovers, approvals, destruction.

Rules the database enforces itself (DOMAIN.md §6), so that no code path can bypass them:
- entry numbers are unique per register kind and year, never deleted, never renumbered;
  the only change an entry accepts is being cancelled (rule 4, rule 8);
- a locked book accepts no new entries and no cancellations (rule 8);
- a Tuyệt mật summary cannot be stored when the item's legal basis forbids it, or without
  the classifier's consent where that is the rule (rule 9);
- a reproduction never records more copies made than were authorised (rule 2);
- a copy always has exactly one state and a holder.
"""

VERSION = 2

_STATES = (
    "'in_storage', 'issued', 'out_of_storage', 'in_transit', 'delivered', "
    "'returned_to_issuer', 'destroyed', 'declassified', 'lost_or_leaked'"
)
_LEVELS = "'mat', 'toi-mat', 'tuyet-mat'"

STATEMENTS = (
    """
    CREATE TABLE legal_basis (
        code TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        effective_from TEXT NOT NULL,
        effective_until TEXT,
        tuyet_mat_summary TEXT NOT NULL
            CHECK (tuyet_mat_summary IN ('allowed', 'with_classifier_consent', 'forbidden'))
    )
    """,
    """
    CREATE TABLE book (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('outgoing', 'incoming', 'internal', 'copies',
                                           'handovers', 'drafts', 'destruction')),
        year INTEGER NOT NULL,
        volume INTEGER NOT NULL CHECK (volume >= 1),
        legal_basis TEXT NOT NULL REFERENCES legal_basis(code),
        opened_on TEXT NOT NULL,
        closed_on TEXT,
        locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
        UNIQUE (kind, year, volume)
    )
    """,
    """
    CREATE TRIGGER book_stays_locked BEFORE UPDATE OF locked ON book
    WHEN OLD.locked = 1 AND NEW.locked = 0
    BEGIN SELECT RAISE(ABORT, 'a locked register book cannot be unlocked'); END
    """,
    """
    CREATE TRIGGER book_never_deleted BEFORE DELETE ON book
    BEGIN SELECT RAISE(ABORT, 'register books are never deleted'); END
    """,
    """
    CREATE TABLE entry (
        id INTEGER PRIMARY KEY,
        book_id INTEGER NOT NULL REFERENCES book(id),
        kind TEXT NOT NULL,
        year INTEGER NOT NULL,
        number INTEGER NOT NULL CHECK (number >= 1),
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
        cancel_reason TEXT,
        corrects_entry_id INTEGER REFERENCES entry(id),
        UNIQUE (kind, year, number)
    )
    """,
    """
    CREATE TRIGGER entry_number_is_next BEFORE INSERT ON entry
    WHEN NEW.number <> 1 + coalesce(
        (SELECT max(number) FROM entry WHERE kind = NEW.kind AND year = NEW.year), 0)
    BEGIN SELECT RAISE(ABORT, 'entry numbers are gap-free per register and year'); END
    """,
    """
    CREATE TRIGGER entry_not_in_locked_book BEFORE INSERT ON entry
    WHEN (SELECT locked FROM book WHERE id = NEW.book_id) = 1
    BEGIN SELECT RAISE(ABORT, 'the register book is locked'); END
    """,
    """
    CREATE TRIGGER entry_only_cancelled BEFORE UPDATE ON entry
    WHEN NEW.id IS NOT OLD.id OR NEW.book_id IS NOT OLD.book_id OR NEW.kind IS NOT OLD.kind
      OR NEW.year IS NOT OLD.year OR NEW.number IS NOT OLD.number
      OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
      OR NEW.corrects_entry_id IS NOT OLD.corrects_entry_id
      OR OLD.cancelled = 1 OR NEW.cancelled = 0
    BEGIN SELECT RAISE(ABORT, 'register entries are immutable; only cancelling is allowed'); END
    """,
    """
    CREATE TRIGGER entry_cancel_not_in_locked_book BEFORE UPDATE ON entry
    WHEN (SELECT locked FROM book WHERE id = OLD.book_id) = 1
    BEGIN SELECT RAISE(ABORT, 'the register book is locked'); END
    """,
    """
    CREATE TRIGGER entry_never_deleted BEFORE DELETE ON entry
    BEGIN SELECT RAISE(ABORT, 'register entries are never deleted'); END
    """,
    f"""
    CREATE TABLE item (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL UNIQUE REFERENCES entry(id),
        direction TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming', 'internal')),
        container TEXT NOT NULL DEFAULT 'paper'
            CHECK (container IN ('paper', 'electronic', 'object', 'map', 'photo', 'other')),
        number_symbol TEXT NOT NULL,
        doc_date TEXT NOT NULL,
        doc_type TEXT NOT NULL DEFAULT '',
        issuer TEXT NOT NULL DEFAULT '',
        summary TEXT,
        summary_consent INTEGER NOT NULL DEFAULT 0 CHECK (summary_consent IN (0, 1)),
        level TEXT NOT NULL CHECK (level IN ({_LEVELS})),
        urgency TEXT CHECK (urgency IS NULL OR urgency IN ('khan', 'thuong-khan', 'hoa-toc')),
        pages INTEGER CHECK (pages IS NULL OR pages >= 0),
        classifier TEXT NOT NULL DEFAULT '',
        classified_on TEXT NOT NULL,
        shorter_until TEXT,
        copying_allowed INTEGER NOT NULL DEFAULT 1 CHECK (copying_allowed IN (0, 1)),
        recall_by TEXT,
        named_addressee TEXT,
        addressee_opened_at TEXT,
        origin TEXT NOT NULL CHECK (origin IN ('drafted', 'received', 'copied')),
        recipients TEXT NOT NULL DEFAULT '',
        copies_issued INTEGER NOT NULL CHECK (copies_issued >= 1),
        drafter TEXT NOT NULL DEFAULT '',
        storage_location TEXT NOT NULL DEFAULT '',
        legal_basis TEXT NOT NULL REFERENCES legal_basis(code),
        search_text TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE INDEX item_search ON item(search_text)
    """,
    """
    CREATE TRIGGER item_tuyet_mat_summary_insert BEFORE INSERT ON item
    WHEN NEW.level = 'tuyet-mat' AND coalesce(NEW.summary, '') <> '' AND (
        (SELECT tuyet_mat_summary FROM legal_basis WHERE code = NEW.legal_basis) = 'forbidden'
        OR ((SELECT tuyet_mat_summary FROM legal_basis WHERE code = NEW.legal_basis)
            = 'with_classifier_consent' AND NEW.summary_consent = 0))
    BEGIN SELECT RAISE(ABORT, 'tuyet-mat summary not allowed by the legal basis'); END
    """,
    """
    CREATE TRIGGER item_tuyet_mat_summary_update BEFORE UPDATE OF level, summary,
        summary_consent, legal_basis ON item
    WHEN NEW.level = 'tuyet-mat' AND coalesce(NEW.summary, '') <> '' AND (
        (SELECT tuyet_mat_summary FROM legal_basis WHERE code = NEW.legal_basis) = 'forbidden'
        OR ((SELECT tuyet_mat_summary FROM legal_basis WHERE code = NEW.legal_basis)
            = 'with_classifier_consent' AND NEW.summary_consent = 0))
    BEGIN SELECT RAISE(ABORT, 'tuyet-mat summary not allowed by the legal basis'); END
    """,
    """
    CREATE TRIGGER item_never_deleted BEFORE DELETE ON item
    BEGIN SELECT RAISE(ABORT, 'items are never deleted'); END
    """,
    f"""
    CREATE TABLE level_change (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES item(id),
        old_level TEXT NOT NULL CHECK (old_level IN ({_LEVELS})),
        new_level TEXT NOT NULL CHECK (new_level IN ({_LEVELS})),
        decided_on TEXT NOT NULL,
        decided_by TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        notify_by TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE extension (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES item(id),
        decided_on TEXT NOT NULL,
        years INTEGER NOT NULL CHECK (years >= 1),
        decided_by TEXT NOT NULL,
        new_expiry TEXT NOT NULL,
        notify_by TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE declassification (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES item(id),
        kind TEXT NOT NULL CHECK (kind IN ('expiry', 'list_removal', 'council')),
        decided_on TEXT NOT NULL,
        decided_by TEXT NOT NULL,
        partial INTEGER NOT NULL DEFAULT 0 CHECK (partial IN (0, 1)),
        scope TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE reproduction (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES item(id),
        source_copy_id INTEGER NOT NULL,
        form TEXT NOT NULL CHECK (form IN ('sao-y', 'sao-luc', 'trich-sao', 'chup',
                                           'paper-to-electronic')),
        requested_count INTEGER NOT NULL CHECK (requested_count >= 1),
        purpose TEXT NOT NULL DEFAULT '',
        requested_by TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'requested'
            CHECK (status IN ('requested', 'approved', 'refused', 'recorded')),
        approved_by TEXT,
        approved_at TEXT,
        authorised_count INTEGER CHECK (authorised_count IS NULL OR authorised_count >= 1),
        made_count INTEGER,
        spoiled_count INTEGER NOT NULL DEFAULT 0 CHECK (spoiled_count >= 0),
        copied_by TEXT,
        copied_at TEXT,
        copied_place TEXT,
        entry_id INTEGER REFERENCES entry(id),
        CHECK (made_count IS NULL OR (authorised_count IS NOT NULL
                                      AND made_count BETWEEN 1 AND authorised_count)),
        CHECK (authorised_count IS NULL OR authorised_count <= requested_count)
    )
    """,
    f"""
    CREATE TABLE copy (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES item(id),
        kind TEXT NOT NULL CHECK (kind IN ('original', 'reproduction')),
        number INTEGER NOT NULL CHECK (number >= 1),
        reproduction_id INTEGER REFERENCES reproduction(id),
        state TEXT NOT NULL CHECK (state IN ({_STATES})),
        holder TEXT NOT NULL CHECK (length(trim(holder)) > 0),
        created_at TEXT NOT NULL,
        UNIQUE (item_id, kind, number),
        CHECK ((kind = 'reproduction') = (reproduction_id IS NOT NULL))
    )
    """,
    """
    CREATE INDEX copy_by_state ON copy(state)
    """,
    """
    CREATE TRIGGER copy_never_deleted BEFORE DELETE ON copy
    BEGIN SELECT RAISE(ABORT, 'copies are never deleted'); END
    """,
    f"""
    CREATE TABLE custody_event (
        id INTEGER PRIMARY KEY,
        copy_id INTEGER NOT NULL REFERENCES copy(id),
        action TEXT NOT NULL,
        from_state TEXT CHECK (from_state IS NULL OR from_state IN ({_STATES})),
        to_state TEXT NOT NULL CHECK (to_state IN ({_STATES})),
        holder TEXT NOT NULL,
        at_utc TEXT NOT NULL,
        actor TEXT NOT NULL,
        reference TEXT NOT NULL DEFAULT ''
    )
    """,
    """
    CREATE INDEX custody_event_by_copy ON custody_event(copy_id, id)
    """,
    """
    CREATE TABLE handover (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL UNIQUE REFERENCES entry(id),
        kind TEXT NOT NULL
            CHECK (kind IN ('dispatch', 'issue', 'return', 'receive', 'recall-return')),
        sender TEXT NOT NULL,
        recipient_body TEXT NOT NULL DEFAULT '',
        recipient_person TEXT NOT NULL DEFAULT '',
        courier TEXT NOT NULL DEFAULT '',
        envelope_marks TEXT NOT NULL DEFAULT '',
        handed_at TEXT NOT NULL,
        due_by TEXT,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        receipt_by TEXT,
        receipt_at TEXT,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE handover_copy (
        handover_id INTEGER NOT NULL REFERENCES handover(id),
        copy_id INTEGER NOT NULL REFERENCES copy(id),
        PRIMARY KEY (handover_id, copy_id)
    )
    """,
    """
    CREATE TABLE permit (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('take-out', 'provision')),
        requester TEXT NOT NULL,
        requesting_body TEXT NOT NULL DEFAULT '',
        purpose TEXT NOT NULL,
        place TEXT NOT NULL DEFAULT '',
        starts_at TEXT,
        ends_at TEXT,
        protection TEXT NOT NULL DEFAULT '',
        commitment TEXT NOT NULL DEFAULT '',
        recorded_by TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'requested'
            CHECK (status IN ('requested', 'approved', 'refused', 'closed')),
        approved_by TEXT,
        approved_at TEXT,
        closed_at TEXT,
        closing_report TEXT
    )
    """,
    """
    CREATE TABLE permit_copy (
        permit_id INTEGER NOT NULL REFERENCES permit(id),
        copy_id INTEGER NOT NULL REFERENCES copy(id),
        PRIMARY KEY (permit_id, copy_id)
    )
    """,
    """
    CREATE TABLE destruction_case (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL UNIQUE REFERENCES entry(id),
        grounds TEXT NOT NULL,
        emergency INTEGER NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1)),
        proposed_by TEXT NOT NULL,
        proposed_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'proposed'
            CHECK (status IN ('proposed', 'approved', 'refused', 'done')),
        approved_by TEXT,
        approved_at TEXT,
        decision_ref TEXT,
        destroyed_at TEXT,
        place TEXT,
        method TEXT,
        report TEXT
    )
    """,
    """
    CREATE TABLE destruction_copy (
        case_id INTEGER NOT NULL REFERENCES destruction_case(id),
        copy_id INTEGER NOT NULL REFERENCES copy(id),
        PRIMARY KEY (case_id, copy_id)
    )
    """,
    """
    CREATE TABLE council_member (
        case_id INTEGER NOT NULL REFERENCES destruction_case(id),
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('chair', 'holder', 'member')),
        position TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (case_id, name)
    )
    """,
    f"""
    CREATE TABLE draft (
        id INTEGER PRIMARY KEY,
        entry_id INTEGER NOT NULL UNIQUE REFERENCES entry(id),
        title TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        drafter TEXT NOT NULL,
        drafted_on TEXT NOT NULL,
        computer TEXT NOT NULL,
        proposed_level TEXT NOT NULL CHECK (proposed_level IN ({_LEVELS})),
        status TEXT NOT NULL DEFAULT 'working'
            CHECK (status IN ('working', 'superseded', 'finalised', 'destroyed')),
        supersedes_id INTEGER REFERENCES draft(id),
        item_id INTEGER REFERENCES item(id),
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE incident (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('loss', 'leak', 'tampering')),
        copy_id INTEGER REFERENCES copy(id),
        description TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        reported_by TEXT NOT NULL,
        reported_to TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE muster (
        id INTEGER PRIMARY KEY,
        held_on TEXT NOT NULL,
        held_by TEXT NOT NULL,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE muster_line (
        muster_id INTEGER NOT NULL REFERENCES muster(id),
        copy_id INTEGER NOT NULL REFERENCES copy(id),
        found INTEGER NOT NULL CHECK (found IN (0, 1)),
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (muster_id, copy_id)
    )
    """,
)
