"""What may be attached as evidence, and whether a file is what its name says (pure).

An inspector's first question is the signed paper: the receiver's signature on the slip, the
council's signed minutes (biên bản hủy), the report of use of a permit, the report of an
incident. Scans come as images (PNG, JPEG, TIFF) or PDF; nothing else is accepted, and a file
must start with the signature of the kind its extension names.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePath


class EvidenceOf(StrEnum):
    """The records a scan can be attached to (the ``KIND`` of ``attach KIND REF FILE``)."""

    HANDOVER = "handover"
    DESTRUCTION = "destruction"
    PERMIT = "permit"
    INCIDENT = "incident"


class AttachmentSource(StrEnum):
    ATTACH = "attach"  # picked by hand
    SCAN = "scan"  # a slip read back by its code (scan-back)


PNG, JPEG, TIFF, PDF = "image/png", "image/jpeg", "image/tiff", "application/pdf"

MEDIA_TYPES: dict[str, str] = {
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".tif": TIFF,
    ".tiff": TIFF,
    ".pdf": PDF,
}
_MAGIC: dict[str, tuple[bytes, ...]] = {
    PNG: (b"\x89PNG\r\n\x1a\n",),
    JPEG: (b"\xff\xd8\xff",),
    TIFF: (b"II*\x00", b"MM\x00*"),
    PDF: (b"%PDF-",),
}
EXTENSION_OF = {PNG: ".png", JPEG: ".jpg", TIFF: ".tif", PDF: ".pdf"}


def media_type_of(filename: str) -> str | None:
    """The media type the file's extension names, or None when it is not accepted."""
    return MEDIA_TYPES.get(PurePath(filename).suffix.lower())


def sniff(data: bytes) -> str | None:
    """The media type the file's first bytes show, or None."""
    for media_type, signatures in _MAGIC.items():
        if any(data.startswith(s) for s in signatures):
            return media_type
    return None


def safe_name(filename: str) -> str:
    """The file's own name without any folder, as kept in the register."""
    name = PurePath(filename.replace("\\", "/")).name.strip()
    return "".join(c for c in name if c.isprintable())[:200]
