"""The package layout (DESIGN.md §5): file names, SHA256SUMS lines, the trusted comment.

Shared by the writer (package.py) and the reader (verify.py) so both speak one format.

The trusted comment is space-separated ``key=value`` fields, for example
``unit=UBND01 kind=annual period=2026 seq=3 head=42:abcd...``. Keys are lower-case words;
values are non-empty and contain no white space.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping

from secretdesk.transfer.errors import (
    ChecksumsMalformed,
    PackageNameInvalid,
    TrustedCommentInvalid,
    TrustedCommentMalformed,
)

UNIT_PUB = "unit.pub"
CHECKSUMS = "SHA256SUMS"
MINISIGN_SIGNATURE = "SHA256SUMS.minisig"
SIGNIFY_SIGNATURE = "SHA256.sig"
SIGNATURE_FILES = (MINISIGN_SIGNATURE, SIGNIFY_SIGNATURE)
UNLISTED_FILES = frozenset({CHECKSUMS, *SIGNATURE_FILES})
RESERVED_NAMES = frozenset({UNIT_PUB, *UNLISTED_FILES})
STAGING_MARKER = ".partial-"

# Plain names only: no separators, no leading dot, nothing that sha256sum escapes or that
# signify's "%31s (%1023[^)]) = %s" line parser or a FAT file system would trip over.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_CHECKSUM_LINE = re.compile(r"SHA256 \(([^()]+)\) = ([0-9a-f]{64})")
_FIELD_KEY = re.compile(r"[a-z][a-z0-9_]*")
_FIELD_VALUE = re.compile(r"[^\s=\x00-\x1f\x7f][^\s\x00-\x1f\x7f]*")


def is_valid_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None and STAGING_MARKER not in name


def check_name(name: str) -> str:
    if not is_valid_name(name):
        raise PackageNameInvalid(name=name)
    return name


def staging_name(folder_name: str) -> str:
    """A hidden name for a package being written; ``is_staging_name`` recognises it."""
    return f".{folder_name}{STAGING_MARKER}{secrets.token_hex(6)}"


def is_staging_name(name: str) -> bool:
    return name.startswith(".") and STAGING_MARKER in name


def checksum_list(files: Mapping[str, bytes]) -> bytes:
    """The SHA256SUMS text: one tagged line per file, sorted by name."""
    lines = [
        f"SHA256 ({name}) = {hashlib.sha256(files[name]).hexdigest()}\n" for name in sorted(files)
    ]
    return "".join(lines).encode("ascii")


def parse_checksum_list(data: bytes) -> dict[str, str]:
    """name -> lower-case hex digest; raises ChecksumsMalformed naming the bad line."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise ChecksumsMalformed(file=CHECKSUMS, line=1) from None
    if not text.endswith("\n"):
        raise ChecksumsMalformed(file=CHECKSUMS, line=text.count("\n") + 1)
    digests: dict[str, str] = {}
    for number, line in enumerate(text[:-1].split("\n"), start=1):
        match = _CHECKSUM_LINE.fullmatch(line)
        if match is None or not is_valid_name(match[1]) or match[1] in UNLISTED_FILES:
            raise ChecksumsMalformed(file=CHECKSUMS, line=number)
        if match[1] in digests:
            raise ChecksumsMalformed(file=CHECKSUMS, line=number)
        digests[match[1]] = match[2]
    return digests


def format_trusted_comment(fields: Mapping[str, object]) -> str:
    """``key=value`` fields separated by single spaces, in the order given."""
    parts = []
    for key, value in fields.items():
        text = str(value)
        if _FIELD_KEY.fullmatch(key) is None or _FIELD_VALUE.fullmatch(text) is None:
            raise TrustedCommentInvalid(field=f"{key}={text}")
        parts.append(f"{key}={text}")
    return " ".join(parts)


def parse_trusted_comment(text: str) -> dict[str, str]:
    """The fields of a trusted comment; raises TrustedCommentMalformed."""
    fields: dict[str, str] = {}
    for part in text.split(" "):
        key, equals, value = part.partition("=")
        valid = _FIELD_KEY.fullmatch(key) and _FIELD_VALUE.fullmatch(value)
        if not equals or not valid or key in fields:
            raise TrustedCommentMalformed(file=MINISIGN_SIGNATURE)
        fields[key] = value
    return fields
