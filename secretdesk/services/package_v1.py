"""The signed package around report.json, format version 1: checkpoint.txt, the comment
line of unit.pub, and the check that a verified package's report.json and checkpoint.txt repeat
its signed description (shared by the exporter's verify and the office's import).

A stick may return other bytes on a second read than on the first, so every file is read once
more and proven to be what the verified signature covers (``read_signed``).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from secretdesk.crypto import minisign
from secretdesk.i18n import N_, LazyText
from secretdesk.services.report_v1 import (
    CHECKPOINT,
    MAX_REPORT_BYTES,
    REPORT_JSON,
    REPORT_PDF,
    SCAN_PREFIX,
    FileNotOfFormat,
    ReportDisagrees,
    ReportUnreadable,
    ReportV1,
    ScanHashDiffers,
    ScanListedTwice,
    ScanMissing,
    ScanNotListed,
    ScanSizeDiffers,
    parse_report_json,
    schema_errors,
    tree_problems,
)
from secretdesk.transfer.errors import ChecksumsMalformed, PackageProblem
from secretdesk.transfer.layout import CHECKSUMS, MINISIGN_SIGNATURE, UNIT_PUB, parse_checksum_list
from secretdesk.transfer.rotation import ROTATION_SIGNATURE, ROTATION_STATEMENT
from secretdesk.transfer.verify import MAX_SIGNED_LIST_BYTES, Verdict

UNIT_PUB_COMMENT = "SecretDesk unit key {code} ({name})"
_UNIT_PUB_COMMENT = re.compile(r"SecretDesk unit key (\S+) \((.*)\)")
# The files an export writes (services/exports/contents.py): nothing else is accepted, even
# listed and signed. The scan names are those report-v1.schema.json lets report.json list.
_FORMAT_FILES = frozenset(
    {REPORT_JSON, CHECKPOINT, REPORT_PDF, UNIT_PUB, ROTATION_STATEMENT, ROTATION_SIGNATURE}
)
_FORMAT_NAMES = re.compile(
    r"report-[a-z]+\.pdf|scan-[0-9]+-(handover|destruction|permit|incident)\.(png|jpg|tif|pdf)"
)


@dataclass(frozen=True)
class SignedReport:
    """report.json of a verified package, with the SHA256SUMS it was proven against."""

    report: ReportV1
    checksums: bytes


def read_signed(verdict: Verdict, public_key_text: str, name: str) -> tuple[bytes, bytes] | None:
    """(SHA256SUMS, file) read once more and proven to be what the verified signature covers.

    A stick (or its firmware) may return other bytes on a second read than on the first, so
    what is parsed is checked again: the signature over these SHA256SUMS bytes must give the
    same trusted comment, and the file's SHA-256 must be the one they list.
    """
    folder = verdict.folder
    try:
        checksums = _read_limited(folder / CHECKSUMS, MAX_SIGNED_LIST_BYTES)
        minisig = _read_limited(folder / MINISIGN_SIGNATURE, MAX_SIGNED_LIST_BYTES).decode()
        data = _read_limited(folder / name, MAX_REPORT_BYTES)
        comment = minisign.verify(public_key_text, checksums, minisig)
        digest = parse_checksum_list(checksums).get(name)
    except (OSError, UnicodeDecodeError, minisign.SignatureError, ChecksumsMalformed):
        return None
    if comment != verdict.trusted_comment or digest != hashlib.sha256(data).hexdigest():
        return None
    return checksums, data


class FileTooLargeToRead(OSError):
    """A file above its size limit, refused before it is read."""


def _read_limited(path: Path, limit: int) -> bytes:
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size > limit:
            raise FileTooLargeToRead(path)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileTooLargeToRead(path)
    return data


def check_report(
    verdict: Verdict, public_key_text: str
) -> tuple[SignedReport | None, list[PackageProblem]]:
    """Read report.json of a verified package; it must follow the schema and repeat the
    signed unit, kind, period, seq, chain head and key fingerprint exactly."""
    if not verdict.ok:
        return None, []
    missing = [name for name in (REPORT_JSON, CHECKPOINT) if name not in verdict.files]
    if not any(name.endswith(".pdf") for name in verdict.files):
        missing.append(REPORT_PDF)
    if missing:
        absent = LazyText(N_("it is missing."))
        return None, [ReportUnreadable(file=name, detail=absent) for name in missing]
    alien: list[PackageProblem] = [
        FileNotOfFormat(file=name)
        for name in sorted(verdict.files)
        if name not in _FORMAT_FILES and not _FORMAT_NAMES.fullmatch(name)
    ]
    if alien:
        return None, alien
    try:
        too_big = (verdict.folder / REPORT_JSON).stat().st_size > MAX_REPORT_BYTES
    except OSError:
        too_big = False  # read_signed says it could not be read
    if too_big:
        detail = LazyText(N_("it is larger than {limit} bytes."), limit=MAX_REPORT_BYTES)
        return None, [ReportUnreadable(file=REPORT_JSON, detail=detail)]
    signed = read_signed(verdict, public_key_text, REPORT_JSON)
    if signed is None:
        changed = LazyText(N_("it changed while it was being read."))
        return None, [ReportUnreadable(file=REPORT_JSON, detail=changed)]
    checksums, data = signed
    try:
        report = parse_report_json(data)
    except ValueError as error:
        return None, [ReportUnreadable(file=REPORT_JSON, detail=str(error))]
    errors = schema_errors(report)
    if errors:
        return None, [ReportUnreadable(file=REPORT_JSON, detail="; ".join(errors[:3]))]
    head = report["chain_head"]
    found = {
        "unit": report["unit"]["code"],
        "kind": report["kind"],
        "period": report["period"],
        "seq": str(report["seq"]),
        "head": f"{head['seq']}:{head['hash']}",
    }
    tree = report.get("tree")
    if tree is not None or "tree" in verdict.fields:
        found["tree"] = "-" if tree is None else f"{tree['size']}:{tree['root']}"
    problems: list[PackageProblem] = [
        ReportDisagrees(file=REPORT_JSON, field=name, found=value, signed=verdict.fields.get(name))
        for name, value in found.items()
        if verdict.fields.get(name) != value
    ]
    if report["unit"]["key_fingerprint"] != verdict.fingerprint:
        problems.append(
            ReportDisagrees(
                file=REPORT_JSON,
                field="unit.key_fingerprint",
                found=report["unit"]["key_fingerprint"],
                signed=verdict.fingerprint,
            )
        )
    problems.extend(tree_problems(report))
    problems.extend(scan_problems(verdict, checksums, report))
    problems.extend(checkpoint_problems(verdict, public_key_text, report))
    return (None if problems else SignedReport(report, checksums)), problems


def scan_problems(
    verdict: Verdict, checksums: bytes, report: Mapping[str, Any]
) -> list[PackageProblem]:
    """The scans report.json lists against the scan files the package carries: a scan file
    not listed, a listed scan missing, one listed twice (only one entry of a name would be
    checked), or one of another size or SHA-256 is refused. The files themselves were hashed
    against SHA256SUMS by ``verify_package``."""
    try:
        signed = parse_checksum_list(checksums)
    except ChecksumsMalformed as problem:
        return [problem]
    listed: dict[str, Mapping[str, Any]] = {}
    twice: list[str] = []
    for entry in report.get("scans", []):
        if entry["file"] in listed and entry["file"] not in twice:
            twice.append(entry["file"])
        listed.setdefault(entry["file"], entry)
    if twice:
        return [ScanListedTwice(file=name, report=REPORT_JSON) for name in sorted(twice)]
    carried = {name for name in verdict.files if name.startswith(SCAN_PREFIX)}
    problems: list[PackageProblem] = [
        ScanNotListed(file=name, report=REPORT_JSON) for name in sorted(carried - listed.keys())
    ]
    for name, entry in sorted(listed.items()):
        if name not in carried or name not in signed:
            problems.append(ScanMissing(file=name, report=REPORT_JSON))
            continue
        if signed[name] != entry["sha256"]:
            problems.append(ScanHashDiffers(file=name, report=REPORT_JSON))
            continue
        try:
            size = (verdict.folder / name).stat().st_size
        except OSError:
            problems.append(ScanMissing(file=name, report=REPORT_JSON))
            continue
        if size != entry["size"]:
            problems.append(
                ScanSizeDiffers(file=name, report=REPORT_JSON, size=size, listed=entry["size"])
            )
    return problems


def checkpoint_text(fields: Mapping[str, object], time: str, key_fingerprint: str) -> bytes:
    """checkpoint.txt: the signed description (trusted comment fields), time and key."""
    lines = [
        ("unit", fields["unit"]),
        ("kind", fields["kind"]),
        ("period", fields["period"]),
        ("seq", fields["seq"]),
        ("chain_head", fields["head"]),
        *([("tree_head", fields["tree"])] if "tree" in fields else []),
        ("time", time),
        ("key_fingerprint", key_fingerprint),
    ]
    body = "".join(f"{name}: {value}\n" for name, value in lines)
    return ("SecretDesk checkpoint\n" + body).encode("utf-8")


def checkpoint_problems(
    verdict: Verdict, public_key_text: str, report: Mapping[str, Any]
) -> list[PackageProblem]:
    """checkpoint.txt, field by field, against the signed description and report.json."""
    signed = read_signed(verdict, public_key_text, CHECKPOINT)
    if signed is None:
        changed = LazyText(N_("it changed while it was being read."))
        return [ReportUnreadable(file=CHECKPOINT, detail=changed)]
    try:
        text = signed[1].decode("utf-8")
    except UnicodeDecodeError as error:
        return [ReportUnreadable(file=CHECKPOINT, detail=str(error))]
    lines = text.split("\n")
    found: dict[str, str] = {}
    if lines[:1] != ["SecretDesk checkpoint"] or lines[-1:] != [""]:
        detail = LazyText(N_("it is not a SecretDesk checkpoint."))
        return [ReportUnreadable(file=CHECKPOINT, detail=detail)]
    for line in lines[1:-1]:
        name, colon, value = line.partition(": ")
        if not colon or name in found:
            detail = LazyText(N_("it is not a SecretDesk checkpoint."))
            return [ReportUnreadable(file=CHECKPOINT, detail=detail)]
        found[name] = value
    fields = verdict.fields
    expected = {
        "unit": fields.get("unit"),
        "kind": fields.get("kind"),
        "period": fields.get("period"),
        "seq": fields.get("seq"),
        "chain_head": fields.get("head"),
        "time": report.get("generated_at"),
        "key_fingerprint": verdict.fingerprint,
    }
    if "tree" in fields or "tree_head" in found:
        expected["tree_head"] = fields.get("tree", "-")
    problems: list[PackageProblem] = [
        ReportDisagrees(file=CHECKPOINT, field=name, found=found.get(name, "-"), signed=value)
        for name, value in expected.items()
        if found.get(name) != value
    ]
    problems.extend(
        ReportDisagrees(file=CHECKPOINT, field=name, found=found[name], signed="-")
        for name in found.keys() - expected.keys()
    )
    return problems


def unit_pub_comment(code: str, name: str) -> str:
    """The comment line of unit.pub; it names the unit the office pins the key for."""
    comment = UNIT_PUB_COMMENT.format(code=code, name=" ".join(name.split()))
    while len(comment.encode("utf-8")) > minisign.UNTRUSTED_COMMENT_MAX_BYTES - 2:
        name = name[:-1]
        comment = UNIT_PUB_COMMENT.format(code=code, name=" ".join(name.split()))
    return comment


def parse_unit_pub_comment(public_key_text: str) -> tuple[str, str] | None:
    """(unit code, unit name) from a unit.pub written by SecretDesk, or None."""
    first = public_key_text.split("\n", 1)[0].removesuffix("\r")
    match = _UNIT_PUB_COMMENT.fullmatch(first.removeprefix(minisign.UNTRUSTED_PREFIX))
    return None if match is None else (match[1], match[2])
