"""The machine-readable code printed on a receipt slip (phiếu gửi), as QR and as text.

``SDH1|<year>|<number>|<check>``: the handover's year and number, and a check value, the
first 8 hex digits of SHA-256 over the other parts and the audit-chain head printed on the
slip. When the signed slip comes back, a scanner (or the clerk) types the code; the check
catches typing errors and slips that were altered or belong to another print. This module
needs no reportlab, so the services can decode codes without the renderer.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from secretdesk.reports.errors import InvalidSlipCode, SlipCodeMismatch
from secretdesk.reports.model import ChainHead

PREFIX = "SDH1"
_PATTERN = re.compile(r"SDH1\|(\d{4})\|([1-9]\d{0,8})\|([0-9a-f]{8})", re.IGNORECASE)


@dataclass(frozen=True)
class SlipCode:
    year: int
    number: int
    check: str

    def __str__(self) -> str:
        return f"{PREFIX}|{self.year}|{self.number}|{self.check}"


def slip_check(year: int, number: int, chain_head: ChainHead) -> str:
    message = f"{PREFIX}|{year}|{number}|{chain_head.seq}:{chain_head.hash}"
    return hashlib.sha256(message.encode("ascii")).hexdigest()[:8]


def encode_slip_code(year: int, number: int, chain_head: ChainHead) -> str:
    """The code for handover ``number``/``year`` printed with ``chain_head``."""
    if not (1000 <= year <= 9999 and 1 <= number <= 999_999_999):
        raise ValueError(f"no slip code for handover {number}/{year}")
    return str(SlipCode(year, number, slip_check(year, number, chain_head)))


def parse_slip_code(text: str) -> SlipCode:
    """Read a typed or scanned code (spaces and case ignored); the check is not verified."""
    cleaned = "".join(text.split())
    match = _PATTERN.fullmatch(cleaned)
    if match is None:
        raise InvalidSlipCode(text=text.strip()[:60])
    year, number, check = match.groups()
    return SlipCode(int(year), int(number), check.lower())


def decode_slip_code(text: str, chain_head: ChainHead) -> SlipCode:
    """Read a code and verify its check against the chain head printed on that slip."""
    code = parse_slip_code(text)
    expected = slip_check(code.year, code.number, chain_head)
    if not hmac.compare_digest(code.check, expected):
        raise SlipCodeMismatch(text=str(code), number=code.number, year=code.year)
    return code
