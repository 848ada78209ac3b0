"""signify's embedded signature form, made with the unit key.

An embedded signature is ``untrusted comment: <text>``, base64("Ed" + key id + Ed25519
signature of the whole message), then the message itself, byte for byte. When the message is
a list of ``SHA256 (name) = hex`` lines, ``signify -C -p unit.pub -x FILE`` checks the
signature and then every listed file. signify refuses minisign's prehashed "ED" form, so the
signature here is over the message itself ("Ed"). The public key is the same file minisign
reads (``minisign.public_key_file``).
"""

from __future__ import annotations

import base64

from secretdesk.crypto.minisign import (
    KEY_ALGORITHM,
    SIGNATURE_LENGTH,
    UNTRUSTED_COMMENT_MAX_BYTES,
    UNTRUSTED_PREFIX,
    BadSignature,
    KeyMismatch,
    MalformedSignature,
    check_comment,
    parse_public_key,
)
from secretdesk.crypto.signing import KEY_ID_LENGTH, UnitKey
from secretdesk.crypto.signing import verify as verify_signature

DEFAULT_COMMENT = "verify with unit.pub"
_SIGNATURE_BYTES = 2 + KEY_ID_LENGTH + SIGNATURE_LENGTH


def sign_embedded(key: UnitKey, message: bytes, comment: str = DEFAULT_COMMENT) -> bytes:
    """Comment line, signature line, then ``message`` unchanged."""
    encoded_comment = check_comment(comment, UNTRUSTED_COMMENT_MAX_BYTES)
    signature = KEY_ALGORITHM + key.key_id + key.sign(message)
    return (
        UNTRUSTED_PREFIX.encode("ascii")
        + encoded_comment
        + b"\n"
        + base64.b64encode(signature)
        + b"\n"
        + message
    )


def embedded_parts(blob: bytes) -> tuple[bytes, bytes, bytes]:
    """(key id, signature, message) of an embedded signature, checking only its shape."""
    if not blob.startswith(UNTRUSTED_PREFIX.encode("ascii")):
        raise MalformedSignature("missing the untrusted comment line")
    comment_end = blob.find(b"\n")
    signature_end = blob.find(b"\n", comment_end + 1)
    if signature_end < 0:
        raise MalformedSignature("missing the signature line")
    line = blob[comment_end + 1 : signature_end].removesuffix(b"\r")
    try:
        raw = base64.b64decode(line, validate=True)
    except ValueError as cause:  # binascii.Error is a ValueError
        raise MalformedSignature("invalid base64") from cause
    if len(raw) != _SIGNATURE_BYTES or raw[:2] != KEY_ALGORITHM:
        raise MalformedSignature("not an Ed25519 (Ed) signify signature")
    return raw[2 : 2 + KEY_ID_LENGTH], raw[2 + KEY_ID_LENGTH :], blob[signature_end + 1 :]


def verify_embedded(public_key_text: str, blob: bytes) -> bytes:
    """Check an embedded signature and return the signed message."""
    key_id, public = parse_public_key(public_key_text)
    signed_by, signature, message = embedded_parts(blob)
    if signed_by != key_id:
        raise KeyMismatch(signed_by, key_id)
    if not verify_signature(public, signature, message):
        raise BadSignature("the signature does not match the message")
    return message
