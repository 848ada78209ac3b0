"""Schema 4: each user's clearance, the highest level they may see (issue 12).

Distinct from ``max_level`` (the highest level they may approve, which follows their post).
Existing users keep today's behaviour: every one of them gets the top level here, and the
first session after the migration records that in the audit log (app.py), since the audit
chain is computed in Python, not in SQL.
"""

VERSION = 4

STATEMENTS = (
    """
    ALTER TABLE user ADD COLUMN clearance TEXT NOT NULL DEFAULT 'tuyet-mat'
        CHECK (clearance IN ('mat', 'toi-mat', 'tuyet-mat'))
    """,
)
