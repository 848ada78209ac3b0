"""minisign public keys and prehashed signatures made with the unit key.

Formats (RELIABILITY.md "Signatures"), each line ending with a newline:

- public key: ``untrusted comment: <text>`` then base64("Ed" + key id + 32-byte key);
  signify reads the same two lines, so one ``unit.pub`` serves both tools.
- signature: ``untrusted comment: <text>``; base64("ED" + key id + Ed25519 signature of the
  BLAKE2b-512 digest of the data); ``trusted comment: <text>``; base64(Ed25519 signature of
  the 64-byte signature followed by the trusted comment's UTF-8 bytes).

``minisign -Vm FILE -p unit.pub`` (and ``-VH``) accepts what ``sign_prehashed`` writes.
Failures raise subclasses of ``SignatureError``; front ends translate them into messages.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from secretdesk.crypto.signing import KEY_ID_LENGTH, UnitKey, public_key_base64
from secretdesk.crypto.signing import verify as verify_signature

UNTRUSTED_PREFIX = "untrusted comment: "
TRUSTED_PREFIX = "trusted comment: "
KEY_ALGORITHM = b"Ed"
PREHASHED_ALGORITHM = b"ED"
PUBLIC_KEY_LENGTH = 32
SIGNATURE_LENGTH = 64
# minisign reads comment lines into fixed buffers (1024 and 8192 bytes with the prefix).
UNTRUSTED_COMMENT_MAX_BYTES = 1000
TRUSTED_COMMENT_MAX_BYTES = 8000
DEFAULT_SIGNATURE_COMMENT = "signature from SecretDesk unit key"


class SignatureError(Exception):
    """A key or signature did not check out; subclasses say why."""


class MalformedKey(SignatureError):
    """The public-key text is not a minisign/signify Ed25519 public key."""


class MalformedSignature(SignatureError):
    """The signature text is damaged, truncated or of an unsupported kind."""


class KeyMismatch(SignatureError):
    """The signature was made by a different key than the one it is checked against."""

    def __init__(self, signature_key_id: bytes, public_key_id: bytes) -> None:
        self.signature_key_id = signature_key_id
        self.public_key_id = public_key_id
        super().__init__(
            f"signed with key {key_id_text(signature_key_id)}, "
            f"checked against key {key_id_text(public_key_id)}"
        )


class BadSignature(SignatureError):
    """The signature does not match the data: the data or the signature was altered."""


class BadTrustedComment(SignatureError):
    """The trusted comment was altered after signing (its global signature fails)."""


def key_id_text(key_id: bytes) -> str:
    """A key id as minisign prints it: 16 upper-case hex digits of the little-endian number."""
    return key_id[::-1].hex().upper()


def check_comment(comment: str, max_bytes: int) -> bytes:
    """Return a comment's UTF-8 bytes; refuse what would break the line format."""
    if any(char in comment for char in "\r\n\x00"):
        raise ValueError("a signature comment must be a single line")
    encoded = comment.encode("utf-8")
    if len(encoded) > max_bytes:
        raise ValueError(f"a signature comment must not exceed {max_bytes} bytes")
    return encoded


def public_key_file(key: UnitKey, comment: str) -> str:
    """The text of a ``unit.pub`` file, readable by minisign and signify."""
    check_comment(comment, UNTRUSTED_COMMENT_MAX_BYTES)
    return f"{UNTRUSTED_PREFIX}{comment}\n{public_key_base64(key.public, key.key_id)}\n"


def parse_public_key(text: str) -> tuple[bytes, bytes]:
    """Return (key id, raw public key) from a public-key file's text."""
    lines = _lines(text)
    if len(lines) != 2 or not lines[0].startswith(UNTRUSTED_PREFIX):
        raise MalformedKey("expected an untrusted comment line and a key line")
    decoded = _decode(lines[1], 2 + KEY_ID_LENGTH + PUBLIC_KEY_LENGTH, MalformedKey)
    if decoded[:2] != KEY_ALGORITHM:
        raise MalformedKey("not an Ed25519 public key")
    return decoded[2 : 2 + KEY_ID_LENGTH], decoded[2 + KEY_ID_LENGTH :]


def sign_prehashed(
    key: UnitKey,
    data: bytes,
    trusted_comment: str,
    untrusted_comment: str = DEFAULT_SIGNATURE_COMMENT,
) -> str:
    """The text of a ``.minisig`` file for ``data`` (prehashed "ED" form)."""
    trusted = check_comment(trusted_comment, TRUSTED_COMMENT_MAX_BYTES)
    check_comment(untrusted_comment, UNTRUSTED_COMMENT_MAX_BYTES)
    signature = key.sign(_prehash(data))
    global_signature = key.sign(signature + trusted)
    return (
        f"{UNTRUSTED_PREFIX}{untrusted_comment}\n"
        f"{_encode(PREHASHED_ALGORITHM + key.key_id + signature)}\n"
        f"{TRUSTED_PREFIX}{trusted_comment}\n"
        f"{_encode(global_signature)}\n"
    )


def signature_key_id(minisig_text: str) -> bytes:
    """The key id a ``.minisig`` claims, without checking anything else."""
    return _parse_signature(minisig_text)[0]


def verify(public_key_text: str, data: bytes, minisig_text: str) -> str:
    """Check a prehashed minisign signature of ``data``; return its trusted comment."""
    key_id, public = parse_public_key(public_key_text)
    signed_by, signature, trusted, global_signature = _parse_signature(minisig_text)
    if signed_by != key_id:
        raise KeyMismatch(signed_by, key_id)
    if not verify_signature(public, signature, _prehash(data)):
        raise BadSignature("the signature does not match the data")
    if not verify_signature(public, global_signature, signature + trusted.encode("utf-8")):
        raise BadTrustedComment("the trusted comment does not match its signature")
    return trusted


def _parse_signature(text: str) -> tuple[bytes, bytes, str, bytes]:
    """(key id, signature, trusted comment, global signature) of a ``.minisig``."""
    lines = _lines(text)
    if len(lines) != 4:
        raise MalformedSignature("a minisign signature has exactly four lines")
    untrusted, signature_line, trusted_line, global_line = lines
    if not untrusted.startswith(UNTRUSTED_PREFIX) or not trusted_line.startswith(TRUSTED_PREFIX):
        raise MalformedSignature("missing comment line")
    decoded = _decode(signature_line, 2 + KEY_ID_LENGTH + SIGNATURE_LENGTH, MalformedSignature)
    if decoded[:2] != PREHASHED_ALGORITHM:
        raise MalformedSignature("not a prehashed Ed25519 (ED) signature")
    global_signature = _decode(global_line, SIGNATURE_LENGTH, MalformedSignature)
    trusted = trusted_line[len(TRUSTED_PREFIX) :]
    try:
        trusted.encode("utf-8")
    except UnicodeEncodeError as cause:  # text read with surrogateescape from invalid UTF-8
        raise MalformedSignature("the trusted comment is not UTF-8") from cause
    return decoded[2 : 2 + KEY_ID_LENGTH], decoded[2 + KEY_ID_LENGTH :], trusted, global_signature


def _prehash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=64).digest()


def _encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _decode(line: str, length: int, error: type[SignatureError]) -> bytes:
    try:
        raw = base64.b64decode(line.strip(), validate=True)
    except (binascii.Error, ValueError) as cause:
        raise error("invalid base64") from cause
    if len(raw) != length:
        raise error(f"expected {length} bytes, found {len(raw)}")
    return raw


def _lines(text: str) -> list[str]:
    """Lines of a key or signature file; trailing blank lines and CR before LF are tolerated."""
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines
