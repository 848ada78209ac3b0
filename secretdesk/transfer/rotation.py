"""The unit key rotation statement (issue 12): what the old unit key signs when it is replaced.

Two files travel in every package made after a rotation, listed in SHA256SUMS like the report
(so the package's own signatures, by the new key, cover them):

- ``key-rotation.json``: the unit, the old key's fingerprint, the new public key (as the
  second line of a minisign/signify public-key file) and its fingerprint, the first export
  sequence number signed by the new key, why and when;
- ``key-rotation.json.minisig``: a minisign signature of that file by the OLD key, with the
  trusted comment ``unit=CODE from_seq=N new_key=FINGERPRINT``; ``minisign -Vm
  key-rotation.json -p old.pub`` checks it with the stock tool.

The office accepts the new key only when this statement verifies under the key it has pinned
and the new fingerprint, typed from the paper report, agrees (services/office/keys.py ``rotate``).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from secretdesk.crypto import minisign
from secretdesk.crypto.signing import KEY_ID_LENGTH, UnitKey, fingerprint, public_key_base64
from secretdesk.transfer.errors import TrustedCommentMalformed
from secretdesk.transfer.layout import format_trusted_comment, parse_trusted_comment

ROTATION_STATEMENT = "key-rotation.json"
ROTATION_SIGNATURE = "key-rotation.json.minisig"
FORMAT = "secretdesk-key-rotation"
FORMAT_VERSION = 1
MAX_STATEMENT_BYTES = 64 << 10


class StatementInvalid(ValueError):
    """The statement is malformed, or its signature does not verify under the key given."""


@dataclass(frozen=True)
class RotationStatement:
    unit: str
    old_fingerprint: str
    new_public: bytes
    new_key_id: bytes
    from_seq: int
    reason: str
    at_utc: str

    @property
    def new_fingerprint(self) -> str:
        return fingerprint(self.new_public)

    def public_key_text(self, comment: str) -> str:
        """The new key as a unit.pub text (the comment line is not signed)."""
        return (
            f"untrusted comment: {comment}\n{public_key_base64(self.new_public, self.new_key_id)}\n"
        )


def _compact(fp: str) -> str:
    return fp.replace(" ", "")


def build_statement(
    unit: str, old: UnitKey, new: UnitKey, from_seq: int, reason: str, at_utc: str
) -> tuple[bytes, str]:
    """(statement bytes, minisign signature text by the old key)."""
    body: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "unit": unit,
        "old_key_fingerprint": fingerprint(old.public),
        "new_public_key": public_key_base64(new.public, new.key_id),
        "new_key_fingerprint": fingerprint(new.public),
        "from_seq": from_seq,
        "reason": reason,
        "at": at_utc,
    }
    data = (json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
    comment = format_trusted_comment(
        {"unit": unit, "from_seq": from_seq, "new_key": _compact(fingerprint(new.public))}
    )
    return data, minisign.sign_prehashed(old, data, comment)


def parse_statement(data: bytes) -> RotationStatement:
    if len(data) > MAX_STATEMENT_BYTES:
        raise StatementInvalid("too large")
    try:
        body = json.loads(data.decode("utf-8"))
        if body.get("format") != FORMAT or body.get("format_version") != FORMAT_VERSION:
            raise StatementInvalid("not a key rotation statement of format version 1")
        raw = base64.b64decode(str(body["new_public_key"]), validate=True)
        from_seq = body["from_seq"]
        if not isinstance(from_seq, int) or isinstance(from_seq, bool) or from_seq < 1:
            raise StatementInvalid("bad from_seq")
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        if isinstance(error, StatementInvalid):
            raise
        raise StatementInvalid(str(error)[:200]) from None
    if len(raw) != 2 + KEY_ID_LENGTH + 32 or raw[:2] != b"Ed":
        raise StatementInvalid("the new public key is malformed")
    statement = RotationStatement(
        unit=str(body["unit"]),
        old_fingerprint=str(body["old_key_fingerprint"]),
        new_public=raw[2 + KEY_ID_LENGTH :],
        new_key_id=raw[2 : 2 + KEY_ID_LENGTH],
        from_seq=from_seq,
        reason=str(body.get("reason", "")),
        at_utc=str(body.get("at", "")),
    )
    if str(body.get("new_key_fingerprint")) != statement.new_fingerprint:
        raise StatementInvalid("the new key's fingerprint does not match the new key")
    return statement


def verify_statement(old_public_key_text: str, data: bytes, signature: str) -> RotationStatement:
    """The statement, if the old key signed it and its signed comment repeats it."""
    statement = parse_statement(data)
    try:
        trusted = minisign.verify(old_public_key_text, data, signature)
        fields = parse_trusted_comment(trusted)
    except (minisign.SignatureError, ValueError, TrustedCommentMalformed) as error:
        raise StatementInvalid(f"not signed by the pinned key: {error}") from None
    expected = {
        "unit": statement.unit,
        "from_seq": str(statement.from_seq),
        "new_key": _compact(statement.new_fingerprint),
    }
    if fields != expected:
        raise StatementInvalid("the signed comment does not repeat the statement")
    return statement
