"""Rotating the unit's Ed25519 signing key (issue 12).

A disabled user who kept an old copy of the vault also kept the unit key inside it. So when a
user leaves (after the re-key) and on demand, the unit gets a new key: the old key signs a
rotation statement (transfer/rotation.py) naming the new public key and the first export
sequence number it signs; the statement travels in every later package and the new
fingerprint is printed on its paper report. The office pins the new key only from that
statement and the fingerprint typed from the paper, and then refuses packages signed by the
old key from that number on.
"""

from __future__ import annotations

from secretdesk.crypto.signing import UnitKey, fingerprint, generate_unit_key
from secretdesk.services.context import Change
from secretdesk.storage import office, unit
from secretdesk.storage.unit import KeyRotation
from secretdesk.transfer.rotation import build_statement


def rotate_unit_key(change: Change, reason: str, **audit_detail: object) -> KeyRotation:
    """Replace the unit key inside ``change``'s transaction; return the rotation kept."""
    record = unit.get(change.conn)
    assert record is not None
    old = UnitKey(record.signing_private, record.signing_public, record.signing_key_id)
    new = generate_unit_key()
    from_seq = office.last_export_seq(change.conn) + 1
    statement, signature = build_statement(record.code, old, new, from_seq, reason, change.at_utc)
    rotation = KeyRotation(
        old.public, new.public, from_seq, reason, change.at_utc, statement, signature
    )
    unit.insert_rotation(change.conn, rotation)
    unit.replace_signing_key(change.conn, new.private, new.public, new.key_id)
    change.audit(
        "unit.key_rotated",
        "unit",
        record.code,
        old_fingerprint=fingerprint(old.public),
        new_fingerprint=fingerprint(new.public),
        from_seq=from_seq,
        reason=reason,
        **audit_detail,
    )
    return rotation
