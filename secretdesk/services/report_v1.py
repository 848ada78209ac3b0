"""report.json, format version 1: build, validate and parse (DESIGN.md §5, DOMAIN.md §8).

The one home of the report format shared by the exporter (services/exports/) and the office
(services/office/): its constants and file names, its types (``ReportV1``), the header of a new
report (``build_report``), the schema check (resources/schemas/report-v1.schema.json),
encoding, the bounded parse of a received report.json and a stored one, and the signed audit
tree head with its consistency proofs. The rest of a package -- checkpoint.txt, unit.pub's
comment, and the check of a verified package's report against its signature -- is in
services/package_v1.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any, NotRequired, TypedDict

import jsonschema
import jsonschema_rs
from jsonschema.exceptions import relevance

from secretdesk.domain import merkle
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_
from secretdesk.resources import load_json
from secretdesk.storage import audit
from secretdesk.transfer.errors import PackageProblem

MAX_SEQ = 2**53 - 1  # sequence numbers and chain heads: exact in JSON, SQLite and Python
FORMAT = "secretdesk-report"
FORMAT_VERSION = 1
SCHEMA_FILE = "report-v1.schema.json"
REPORT_PDF, REPORT_JSON, CHECKPOINT = "report.pdf", "report.json", "checkpoint.txt"
SCAN_PREFIX = "scan-"  # the scans a package carries: scan-<id>-<record kind>.<ext>
MAX_REPORT_BYTES = 64 << 20  # report.json is read whole: refused above this, before reading
MAX_REPORT_DEPTH = 32  # and parsed: the format nests 6 levels deep


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


class FileNotOfFormat(PackageProblem):
    code = "package.file_not_of_format"
    message = N_("{file} is not a file a SecretDesk package (format version 1) carries.")


class ScanListedTwice(PackageProblem):
    code = "package.scan_listed_twice"
    message = N_("{report} lists the scan {file} twice.")


class ScanHashDiffers(PackageProblem):
    code = "package.scan_hash_differs"
    message = N_("{file} does not have the SHA-256 that {report} lists for it.")


class ScanSizeDiffers(PackageProblem):
    code = "package.scan_size_differs"
    message = N_(
        "{file} does not have the size that {report} lists for it ({size} found, {listed} listed)."
    )


# -- the format, typed ------------------------------------------------------------------------
class UnitPart(TypedDict):
    code: str
    name: str
    superior_body: str
    key_fingerprint: str  # 16 groups of 4 upper-case hex digits, as on the paper report


class ChainHeadPart(TypedDict):
    seq: int
    hash: str


class TreeProof(TypedDict):
    size: int
    root: str  # hex, like every hash of the format
    proof: list[str]


class TreePart(TypedDict):
    """The signed audit tree head, and a consistency proof from every head exported before."""

    size: int
    root: str
    consistency: list[TreeProof]


class ReportV1(TypedDict):
    """report.json: the header every report has, then the parts of its kind (annual:
    statistics, dispatched, received; inventory: inventory; registers: registers, dispatched,
    received; audit: audit), kept as the JSON values the schema describes."""

    format: str
    format_version: int
    unit: UnitPart
    kind: str
    period: str
    seq: int
    generated_at: str
    chain_head: ChainHeadPart
    tree: NotRequired[TreePart]  # absent only from packages made before it existed
    statistics: NotRequired[dict[str, Any]]
    dispatched: NotRequired[list[dict[str, Any]]]
    received: NotRequired[list[dict[str, Any]]]
    inventory: NotRequired[dict[str, Any]]
    registers: NotRequired[list[dict[str, Any]]]
    audit: NotRequired[dict[str, Any]]
    scans: NotRequired[list[dict[str, Any]]]  # the scan files a package carries, when it does


def build_report(
    unit: UnitPart,
    kind: str,
    period: str,
    seq: int,
    generated_at: str,
    head: ChainHeadPart,
    tree: TreePart,
) -> ReportV1:
    """The header of a new report; the exporter adds the parts of its kind, then checks the
    whole against the schema (``validate_report``)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "unit": unit,
        "kind": kind,
        "period": period,
        "seq": seq,
        "generated_at": generated_at,
        "chain_head": head,
        "tree": tree,
    }


def stored_report(text: str) -> ReportV1:
    """A report the office accepted before: it was checked whole against the schema then."""
    report: ReportV1 = json.loads(text)
    return report


@cache
def report_schema() -> dict[str, Any]:
    schema: dict[str, Any] = load_json("schemas", SCHEMA_FILE)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(report_schema())


@cache
def _fast_validator() -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(report_schema())


def _surely_valid(report: Any) -> bool:
    """The compiled check (microseconds where jsonschema takes milliseconds a package): True
    only when it finds the report valid. It is never laxer than jsonschema on this schema
    (its ``$`` ends the text, Python's also allows a final newline), so a report it refuses
    is judged again by jsonschema, whose verdict and messages stand."""
    try:
        return bool(_fast_validator().is_valid(report))
    except (ValueError, TypeError, OverflowError):  # a value JSON Schema has no type for
        return False


def schema_errors(report: Any) -> list[str]:
    """Every way ``report`` breaks the schema, as 'path: message', best match first."""
    if _surely_valid(report):
        return []
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


def signed_tree(conn: Any) -> TreePart:
    """report.json's ``tree``: the head of the audit tree now, and a consistency proof from
    every head exported before (the office checks the one from the last head it accepted)."""
    now = audit.tree_head(conn)
    proofs: list[TreeProof] = [
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
