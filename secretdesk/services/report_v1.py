"""report.json, format version 1: build, validate and parse (DESIGN.md §5, DOMAIN.md §8).

The one home of the report format shared by the exporter (services/exports/) and the office
(services/office/): its constants and file names, the schema check
(resources/schemas/report-v1.schema.json), encoding, the bounded parse of a received
report.json, the check of a verified package's report and checkpoint.txt against its signed
description, the signed audit tree head with its consistency proofs, and the comment line of
unit.pub.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import relevance

from secretdesk.crypto import minisign
from secretdesk.domain import merkle
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText
from secretdesk.resources import load_json
from secretdesk.storage import audit
from secretdesk.transfer.errors import ChecksumsMalformed, PackageProblem
from secretdesk.transfer.layout import CHECKSUMS, MINISIGN_SIGNATURE, parse_checksum_list
from secretdesk.transfer.verify import MAX_SIGNED_LIST_BYTES, Verdict

MAX_SEQ = 2**53 - 1  # sequence numbers and chain heads: exact in JSON, SQLite and Python
FORMAT = "secretdesk-report"
FORMAT_VERSION = 1
SCHEMA_FILE = "report-v1.schema.json"
REPORT_PDF, REPORT_JSON, CHECKPOINT = "report.pdf", "report.json", "checkpoint.txt"
SCAN_PREFIX = "scan-"  # the scans a package carries: scan-<id>-<record kind>.<ext>
MAX_REPORT_BYTES = 64 << 20  # report.json is read whole: refused above this, before reading
MAX_REPORT_DEPTH = 32  # and parsed: the format nests 6 levels deep
UNIT_PUB_COMMENT = "SecretDesk unit key {code} ({name})"
_UNIT_PUB_COMMENT = re.compile(r"SecretDesk unit key (\S+) \((.*)\)")


class ReportInvalid(SecretDeskError):
    code = "export.report_invalid"
    message = N_(
        "The report does not follow the report format ({detail}). Nothing was exported. "
        "This is a fault of the program: report it."
    )


class ReportUnreadable(PackageProblem):
    code = "package.report_unreadable"
    message = N_("{file} is not a readable report: {detail}")


class TreeProofInvalid(PackageProblem):
    code = "package.tree_proof_invalid"
    message = N_(
        "{file}: the consistency proof from audit tree head size {size} does not lead to the "
        "signed head {head}."
    )


class ReportDisagrees(PackageProblem):
    code = "package.report_disagrees"
    message = N_(
        "{file} says {field} = {found}, but the signed description of the package says {signed}."
    )


class ScanNotListed(PackageProblem):
    code = "package.scan_not_listed"
    message = N_("{file} is a scan in the package that {report} does not list.")


class ScanMissing(PackageProblem):
    code = "package.scan_missing"
    message = N_("{report} lists the scan {file}, which is not in the package.")


class ScanHashDiffers(PackageProblem):
    code = "package.scan_hash_differs"
    message = N_("{file} does not have the SHA-256 that {report} lists for it.")


class ScanSizeDiffers(PackageProblem):
    code = "package.scan_size_differs"
    message = N_(
        "{file} does not have the size that {report} lists for it ({size} found, {listed} listed)."
    )


@cache
def report_schema() -> dict[str, Any]:
    schema: dict[str, Any] = load_json("schemas", SCHEMA_FILE)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(report_schema())


def schema_errors(report: Any) -> list[str]:
    """Every way ``report`` breaks the schema, as 'path: message', best match first."""
    errors = sorted(_validator().iter_errors(report), key=relevance)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '/'}: {error.message}"
        for error in errors
    ]


def validate_report(report: Mapping[str, Any]) -> None:
    errors = schema_errors(report)
    if errors:
        raise ReportInvalid(detail="; ".join(errors[:3]))


def report_structure(value: Any) -> Any:
    """The report with each list of rows cut to one row of each shape (keys and value types).

    What an export writes is checked against the schema in time that does not grow with the
    number of items: its rows are made by this program from typed records, so rows of the
    same shape differ only in values the types already fix. A received package is still
    checked whole (``schema_errors``).
    """
    if isinstance(value, dict):
        return {key: report_structure(item) for key, item in value.items()}
    if isinstance(value, list):
        shapes: dict[Any, Any] = {}
        for item in value:
            shape = _shape(item)
            if shape not in shapes:
                shapes[shape] = report_structure(item)
        return list(shapes.values())
    return value


def _shape(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple((key, _shape(item)) for key, item in sorted(value.items()))
    if isinstance(value, list):
        return ("list", frozenset(_shape(item) for item in value))
    return type(value).__name__


def encode_report(report: Mapping[str, Any]) -> bytes:
    return (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True)
class SignedReport:
    """report.json of a verified package, with the SHA256SUMS it was proven against."""

    report: dict[str, Any]
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


def _too_deep(value: Any, limit: int = MAX_REPORT_DEPTH) -> bool:
    """Whether a parsed JSON value nests deeper than ``limit`` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def parse_report_json(data: bytes) -> Any:
    """report.json's bytes -> value; raises ValueError with a reason a clerk can read."""
    try:
        report = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise ValueError(f"it nests deeper than {MAX_REPORT_DEPTH} levels") from None
    except UnicodeDecodeError as error:
        raise ValueError(str(error)) from None
    if _too_deep(report):
        raise ValueError(f"it nests deeper than {MAX_REPORT_DEPTH} levels")
    return report


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
    not listed, a listed scan missing, or one of another size or SHA-256 is refused. The
    files themselves were hashed against SHA256SUMS by ``verify_package``."""
    try:
        signed = parse_checksum_list(checksums)
    except ChecksumsMalformed as problem:
        return [problem]
    listed = {entry["file"]: entry for entry in report.get("scans", [])}
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


def signed_tree(conn: Any) -> dict[str, Any]:
    """report.json's ``tree``: the head of the audit tree now, and a consistency proof from
    every head exported before (the office checks the one from the last head it accepted)."""
    now = audit.tree_head(conn)
    proofs = [
        {
            "size": size,
            "root": audit.tree_head(conn, size).root.hex(),
            "proof": [node.hex() for node in audit.consistency_proof(conn, size, now.size)],
        }
        for size in audit.exported_tree_sizes(conn)
        if size <= now.size
    ]
    return {"size": now.size, "root": now.root.hex(), "consistency": proofs}


def tree_problems(report: Mapping[str, Any]) -> list[PackageProblem]:
    """Every consistency proof in report.json must lead from its head to the signed one."""
    tree = report.get("tree")
    if tree is None:
        return []
    size, root = int(tree["size"]), bytes.fromhex(tree["root"])
    return [
        TreeProofInvalid(file=REPORT_JSON, size=entry["size"], head=f"{size}:{tree['root']}")
        for entry in tree["consistency"]
        if not merkle.verify_consistency(
            int(entry["size"]),
            size,
            bytes.fromhex(entry["root"]),
            root,
            [bytes.fromhex(node) for node in entry["proof"]],
        )
    ]
