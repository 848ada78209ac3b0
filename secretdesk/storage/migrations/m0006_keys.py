"""Schema 6: each user's clearance, the highest level they may see (issue 12).

Distinct from ``max_level`` (the highest level they may approve, which follows their post).
Existing users keep today's behaviour: every one of them gets the top level here. The audit
chain is computed in Python, not in SQL, so the migration leaves a note (``migration_note``)
that the first session afterwards turns into an audit event and removes (app.py).
"""

VERSION = 6

STATEMENTS = (
    """
    ALTER TABLE user ADD COLUMN clearance TEXT NOT NULL DEFAULT 'tuyet-mat'
        CHECK (clearance IN ('mat', 'toi-mat', 'tuyet-mat'))
    """,
    """
    CREATE TABLE migration_note (topic TEXT PRIMARY KEY, detail TEXT NOT NULL)
    """,
    """
    INSERT INTO migration_note (topic, detail)
    SELECT 'clearance', json_object('clearance', 'tuyet-mat', 'users',
        (SELECT json_group_array(username) FROM (SELECT username FROM user ORDER BY username)))
    WHERE EXISTS (SELECT 1 FROM user)
    """,
)
