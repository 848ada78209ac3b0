"""The unit's signed report packages for the supervising office (DESIGN.md §5, DOMAIN.md §8).

``ExportService.export`` gathers one report (annual statistics, inventory, register books or
the audit log of a period), renders its PDF, writes ``report.json`` (checked against
resources/schemas/report-v1.schema.json first) and ``checkpoint.txt``, and writes the signed
package with ``transfer.package.write_package``:

    SecretDesk_<unit>_<kind>_<period>_<seq>/   trusted comment: unit= kind= period= seq= head= tree=

``tree=SIZE:ROOT`` is the audit tree head (RFC 9162); report.json's ``tree`` repeats it with a
consistency proof from every tree head exported before, which the office checks against the
last head it accepted (services/office.py). checkpoint.txt repeats the signed description and
is compared with it field by field.

A sequence number is never issued twice, and never taken for a package the writer would refuse
(the writer's checks of folder, name, space and write access run before the reservation
commits). The export reserves it: in one committed
transaction the report is gathered (with the chain head it carries), ``export.last_seq`` is
raised and the audit event ``export.started`` (seq, kind, period) is appended. Only then is
the package written, read back and verified, renamed to its final name, and ``export.written``
committed. A write that fails is recorded as ``export.failed``; a crash (or power cut) between
the final rename and ``export.written`` leaves a valid package whose number is reserved. Either
way a lost number is a gap that the office warns about, never a number used again.
``ExportService.unconfirmed()`` lists the exports started but neither written nor failed, so the
clerk can look for those packages.

Unless the user explicitly chose a plain folder, the target must lie on a removable volume: the
longest mount point of a removable volume that contains the target, on the same file system
(same ``st_dev``) as that mount point, and the package is written to the resolved path.

``verify_folder`` is what ``secretdesk verify`` runs (no vault needed); ``check_report`` is
shared with the office import (services/office.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shlex
import shutil
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import relevance

from secretdesk.crypto import minisign
from secretdesk.crypto.signing import UnitKey, fingerprint
from secretdesk.domain import merkle
from secretdesk.domain.attachments import EXTENSION_OF
from secretdesk.domain.export_kinds import EXPORT_KINDS
from secretdesk.domain.roles import Permission
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText, plural_text, translate
from secretdesk.reports.annual import render_annual_report
from secretdesk.reports.inventory import render_inventory
from secretdesk.reports.model import (
    PrintStamp,
    RegisterKind,
    UnitHeader,
)
from secretdesk.reports.registers import render_register
from secretdesk.resources import load_json
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.inventory import InventoryService
from secretdesk.services.printing import PrintService
from secretdesk.services.stamp import document_stamp, unit_header
from secretdesk.services.statistics import StatisticsService
from secretdesk.storage import attachments, audit, backup_manifest, office, unit
from secretdesk.storage.audit import ChainHead
from secretdesk.storage.office import ExportRecord as ExportRecord  # for the front ends
from secretdesk.storage.office import StartedExport
from secretdesk.storage.unit import UnitRecord
from secretdesk.transfer import media
from secretdesk.transfer.errors import (
    ChecksumsMalformed,
    PackageProblem,
    TargetMissing,
    TransferError,
)
from secretdesk.transfer.errors import EjectFailed as EjectFailed  # for the front ends
from secretdesk.transfer.layout import (
    CHECKSUMS,
    MINISIGN_SIGNATURE,
    UNIT_PUB,
    format_trusted_comment,
    parse_checksum_list,
)
from secretdesk.transfer.media import Volume as Volume  # for the front ends
from secretdesk.transfer.media import list_removable_volumes as list_removable_volumes
from secretdesk.transfer.package import FileOps, precheck, write_package
from secretdesk.transfer.rotation import ROTATION_SIGNATURE, ROTATION_STATEMENT
from secretdesk.transfer.verify import MAX_SIGNED_LIST_BYTES, verify_package
from secretdesk.transfer.verify import Verdict as Verdict  # for the front ends

KINDS = EXPORT_KINDS
MAX_SEQ = 2**53 - 1  # sequence numbers and chain heads: exact in JSON, SQLite and Python
FORMAT = "secretdesk-report"
FORMAT_VERSION = 1
SCHEMA_FILE = "report-v1.schema.json"
REPORT_PDF, REPORT_JSON, CHECKPOINT = "report.pdf", "report.json", "checkpoint.txt"
MAX_REPORT_BYTES = 64 << 20  # report.json is read whole: refused above this, before reading
MAX_REPORT_DEPTH = 32  # and parsed: the format nests 6 levels deep
UNIT_PUB_COMMENT = "SecretDesk unit key {code} ({name})"
_UNIT_PUB_COMMENT = re.compile(r"SecretDesk unit key (\S+) \((.*)\)")
_UNIT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_YEAR = re.compile(r"[0-9]{4}")
# Register books exported by kind "registers": one PDF each (report-<book>.pdf).
REGISTER_BOOKS = (RegisterKind.OUTGOING, RegisterKind.INCOMING, RegisterKind.HANDOVERS)


# -- errors ----------------------------------------------------------------------------------
class ExportRefused(SecretDeskError):
    code = "export.refused"
    message = N_("{reason} Nothing was exported.")


class NotRemovable(SecretDeskError):
    code = "export.not_removable"
    message = N_(
        "{target} is not on a removable volume (USB stick). Plug in a stick and choose a "
        "folder on it, or, if you really mean this folder, choose it explicitly (--folder). "
        "Nothing was exported."
    )


class ReportInvalid(SecretDeskError):
    code = "export.report_invalid"
    message = N_(
        "The report does not follow the report format ({detail}). Nothing was exported. "
        "This is a fault of the program: report it."
    )


class ExportNotRecorded(SecretDeskError):
    code = "export.not_recorded"
    message = N_(
        "The package {folder} was written but could not be recorded in the register "
        "({detail}). It was removed: export again."
    )
    left_note = N_(
        "The package {folder} was written but could not be recorded in the register "
        "({detail}), and it could not be removed: delete it, do not hand it over, then "
        "export again."
    )

    def render(self, language: str | None = None) -> str:
        if self.params.get("left"):
            return translate(self.left_note, language).format(**self.params)
        return super().render(language)


class KeyFileUnusable(SecretDeskError):
    code = "verify.key_file"
    message = N_("The key {path} cannot be used: {reason}")


# Problems added to a verification verdict (each names a file, like the transfer ones).
class UnitLabelMismatch(PackageProblem):
    code = "package.unit_mismatch"
    message = N_(
        "{file}: the package says it comes from unit {claimed}, but it is signed with the "
        "key pinned for unit {signer}."
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


# -- report.json -----------------------------------------------------------------------------
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
    problems.extend(checkpoint_problems(verdict, public_key_text, report))
    return (None if problems else SignedReport(report, checksums)), problems


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


def parse_period(kind: str, period: str) -> str:
    """The period as written in the package: YYYY, or YYYY-MM-DD for an inventory."""
    if kind not in KINDS:
        raise ExportRefused(
            reason=LazyText(
                N_("Unknown kind of report {kind}: use {kinds}."), kind=kind, kinds=", ".join(KINDS)
            )
        )
    text = period.strip()
    if kind == "inventory":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
        expected = "YYYY-MM-DD"
    elif _YEAR.fullmatch(text) and 2000 <= int(text) <= 2999:
        return text
    else:
        expected = "YYYY"
    raise ExportRefused(
        reason=LazyText(
            N_("The period of a {kind} report is written {expected}, not {period}."),
            kind=kind,
            expected=expected,
            period=period,
        )
    )


# -- the signed tree head ------------------------------------------------------------------
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


# -- the export ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportResult:
    folder: Path
    seq: int
    head: ChainHead
    fingerprint: str
    volume: media.Volume | None = None  # None when the user chose a plain folder

    def eject_commands(self) -> list[str]:
        """Shell commands that unmount and power off the stick (empty for a plain folder)."""
        if self.volume is None:
            return []
        return [shlex.join(command) for command in media.eject_commands(self.volume)]


@dataclass(frozen=True)
class _Reserved:
    """An export whose number is reserved and whose files are ready to be written."""

    seq: int
    head: ChainHead
    folder_name: str
    files: dict[str, bytes]
    key: UnitKey
    comment: str
    unit_pub_comment: str
    fingerprint: str
    kind: str
    period: str


@dataclass(frozen=True)
class _Draft:
    """A report being gathered: what every kind needs to fill ``report`` and render PDFs."""

    change: Change
    period: str
    report: dict[str, Any]
    header: UnitHeader
    stamp: PrintStamp
    key_fingerprint: str


class ExportService:
    def __init__(
        self,
        ctx: ServiceContext,
        *,
        volumes: Callable[[], list[media.Volume]] = media.list_removable_volumes,
        ops: FileOps | None = None,
    ) -> None:
        self.ctx = ctx
        self._volumes = volumes
        self._ops = ops

    def public_key_text(self) -> str:
        """The text of unit.pub (minisign/signify public key) with the unit in its comment."""
        record = self._unit(self.ctx.read())
        return minisign.public_key_file(_key(record), unit_pub_comment(record.code, record.name))

    def export(
        self,
        kind: str,
        period: str,
        target: Path,
        *,
        explicitly_chosen_folder: bool,
        with_scans: bool = False,
    ) -> ExportResult:
        """``with_scans`` adds the scans attached in the period (issue 18), hashed and signed
        like every other file of the package; off by default, they can be large."""
        period = parse_period(kind, period)
        self.ctx.actor.require(Permission.RECORD)
        target = Path(target)
        volume = None
        if not explicitly_chosen_folder:
            volume = self.removable_volume(target)
            target = _target_on(volume, target)  # the resolved path, checked once more
        elif not target.is_dir():  # before a number is reserved: a typo costs no number
            raise TargetMissing(target=target)
        if kind == "inventory" and date.fromisoformat(period) > self.ctx.today():
            raise ExportRefused(
                reason=LazyText(N_("An inventory cannot be made for a future date."))
            )
        reserved = self._reserve(kind, period, target, with_scans)
        try:
            written = write_package(
                target,
                reserved.folder_name,
                reserved.files,
                reserved.key,
                reserved.comment,
                unit_pub_comment=reserved.unit_pub_comment,
                ops=self._ops,
            )
        except Exception as error:
            self._record_failure(reserved, error)
            raise
        try:
            with self.ctx.change(Permission.RECORD) as change:
                change.audit(
                    "export.written",
                    "export",
                    reserved.seq,
                    seq=reserved.seq,
                    kind=kind,
                    period=period,
                    folder=str(written),
                    head=str(reserved.head),
                )
        except Exception as error:
            unrecorded = _unrecorded(written, error)
            self._record_failure(
                reserved, unrecorded, written if unrecorded.params["left"] else None
            )
            raise unrecorded from error
        except BaseException:
            _remove(written)
            raise
        return ExportResult(written, reserved.seq, reserved.head, reserved.fingerprint, volume)

    def unconfirmed(self) -> list[StartedExport]:
        """Exports whose number was reserved but that were neither written nor failed: the
        program stopped in between. Each package may be complete on its stick, or missing;
        either way its number is never used again (the office sees a gap if it never comes)."""
        return office.unconfirmed_exports(self.ctx.read())

    def last(self) -> office.LastExport | None:
        """The export started last and whether it was confirmed written (for the dashboard)."""
        return office.last_export(self.ctx.read())

    def volumes(self) -> list[media.Volume]:
        """The removable volumes mounted now (the system disk is never one of them)."""
        return self._volumes()

    def history(self) -> list[office.ExportRecord]:
        """Every export started, newest first: written, failed, or never confirmed."""
        return office.export_history(self.ctx.read())

    def verify_written(self, folder: Path) -> Verdict:
        """Verify a package of this unit with the unit's own key (as the office will)."""
        key_text = self.public_key_text()
        return with_unit_checks(verify_package(Path(folder), public_key_text=key_text), key_text)

    def confirm(self, seq: int, folder: Path | None) -> office.ExportRecord:
        """End an unconfirmed export: its package was found intact in ``folder`` (verified
        with the unit's key, its signed number must be ``seq``), or, with no folder, it is
        recorded as never written. Either way the number is never used again."""
        self.ctx.actor.require(Permission.RECORD)
        started = {e.seq: e for e in self.unconfirmed()}.get(seq)
        if started is None:
            raise ExportRefused(
                reason=LazyText(N_("Export {seq} is not waiting for a confirmation."), seq=seq)
            )
        if folder is not None:
            verdict = self.verify_written(folder)
            if not verdict.ok:
                raise ExportRefused(
                    reason=LazyText(
                        N_("The package in {folder} is not valid: {problem}"),
                        folder=folder,
                        problem=verdict.problems[0].render(),
                    )
                )
            if verdict.fields.get("seq") != str(seq):
                raise ExportRefused(
                    reason=LazyText(
                        N_("The package in {folder} is not export {seq}."),
                        folder=folder,
                        seq=seq,
                    )
                )
        with self.ctx.change(Permission.RECORD) as change:
            if folder is not None:
                change.audit(
                    "export.written",
                    "export",
                    seq,
                    seq=seq,
                    kind=started.kind,
                    period=started.period,
                    folder=str(folder),
                    confirmed=True,
                )
            else:
                change.audit(
                    "export.failed",
                    "export",
                    seq,
                    seq=seq,
                    kind=started.kind,
                    period=started.period,
                    reason="not-found",
                    leftover=None,
                    confirmed=True,
                )
        return next(e for e in self.history() if e.seq == seq)

    def _reserve(self, kind: str, period: str, target: Path, with_scans: bool = False) -> _Reserved:
        """Gather the report and reserve its sequence number, in one committed transaction.

        Every check the writer makes before writing (target folder, name, free space, write
        access) runs before the transaction commits: a package that would be refused takes
        no number, so the office never sees a gap for it."""
        with self.ctx.change(Permission.RECORD) as change:
            record = self._unit(change.conn)
            code = record.code
            if _UNIT_CODE.fullmatch(code) is None:
                raise ExportRefused(
                    reason=LazyText(
                        N_(
                            "The unit code {code} cannot name a package: it may hold only "
                            "letters, digits, '.', '_' and '-'."
                        ),
                        code=code,
                    )
                )
            seq = office.last_export_seq(change.conn) + 1
            head = audit.head(change.conn)
            tree = signed_tree(change.conn)
            files = self._files(change, kind, period, record, seq, head, tree)
            scans = self._scans(change, kind, period) if with_scans else {}
            files.update(scans)
            comment = format_trusted_comment(
                {
                    "unit": code,
                    "kind": kind,
                    "period": period,
                    "seq": seq,
                    "head": str(head),
                    "tree": f"{tree['size']}:{tree['root']}",
                }
            )
            precheck(
                target,
                f"SecretDesk_{code}_{kind}_{period}_{seq}",
                files,
                _key(record),
                comment,
                unit_pub_comment=unit_pub_comment(code, record.name),
                ops=self._ops,
            )
            office.set_last_export_seq(change.conn, seq)
            change.audit(
                "export.started",
                "export",
                seq,
                seq=seq,
                kind=kind,
                period=period,
                tree_size=tree["size"],
                tree_root=tree["root"],
                **(
                    {"scans": {n: hashlib.sha256(b).hexdigest() for n, b in scans.items()}}
                    if scans
                    else {}
                ),
            )
        # The head leaves the machine: keep it beside the vault too (backup_manifest.py).
        with contextlib.suppress(OSError):
            backup_manifest.record_head(
                self.ctx.vault.data_dir, int(tree["size"]), str(tree["root"]), "export"
            )
        return _Reserved(
            seq,
            head,
            f"SecretDesk_{code}_{kind}_{period}_{seq}",
            files,
            _key(record),
            comment,
            unit_pub_comment(code, record.name),
            fingerprint(record.signing_public),
            kind,
            period,
        )

    def _record_failure(
        self, reserved: _Reserved, error: Exception, leftover: Path | None = None
    ) -> None:
        """Best effort: say in the audit log that the reserved number was not used."""
        reason = error.code if isinstance(error, SecretDeskError) else type(error).__name__
        if leftover is None and isinstance(error, TransferError):
            leftover = error.params.get("leftover")
        with contextlib.suppress(Exception), self.ctx.change(Permission.RECORD) as change:
            change.audit(
                "export.failed",
                "export",
                reserved.seq,
                seq=reserved.seq,
                kind=reserved.kind,
                period=reserved.period,
                reason=reason,
                leftover=None if leftover is None else str(leftover),
            )

    def removable_volume(self, target: Path) -> media.Volume:
        """The mounted removable volume holding ``target``; refuse anything else.

        The volume is the one with the longest mount point containing the resolved target
        (a stick may be mounted inside another); the target must not lie in another file
        system mounted inside it, and must be on the file system mounted there (same
        ``st_dev``, see ``_target_on``). A mount point hidden by a later mount is never
        offered as a volume (``media.list_removable_volumes``).
        """
        try:
            path = target.resolve()
        except (OSError, RuntimeError):  # unreadable, or a symbolic link loop
            raise NotRemovable(target=target) from None
        matching = [
            (volume, mount)
            for volume, mount in ((v, v.mount_point.resolve()) for v in self._volumes())
            if mount == path or mount in path.parents
        ]
        if not matching:
            raise NotRemovable(target=target)
        volume, _mount = max(matching, key=lambda found: len(found[1].parts))
        resolved = _target_on(volume, target)
        inner = (inner_mount.resolve() for inner_mount in volume.inner_mounts)
        if any(mount == resolved or mount in resolved.parents for mount in inner):
            raise NotRemovable(target=target)
        if volume.read_only:
            raise ExportRefused(
                reason=LazyText(
                    N_("The stick at {mount} is mounted read-only."), mount=volume.mount_point
                )
            )
        return volume

    def eject(self, result: ExportResult) -> None:
        """Unmount and power off the stick the package was written to."""
        if result.volume is None:
            return
        outcome = media.eject(result.volume)
        if not outcome.ok:
            raise EjectFailed(device=result.volume.device, detail=outcome.output or outcome.step)

    # -- gathering ---------------------------------------------------------------------------
    def _unit(self, conn: Any) -> UnitRecord:
        record = unit.get(conn)
        if record is None:
            raise ExportRefused(reason=LazyText(N_("The vault holds no unit.")))
        return record

    def _files(
        self,
        change: Change,
        kind: str,
        period: str,
        record: UnitRecord,
        seq: int,
        head: ChainHead,
        tree: dict[str, Any],
    ) -> dict[str, bytes]:
        key_fingerprint = fingerprint(record.signing_public)
        report: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "unit": {
                "code": record.code,
                "name": record.name,
                "superior_body": record.superior_body,
                "key_fingerprint": key_fingerprint,
            },
            "kind": kind,
            "period": period,
            "seq": seq,
            "generated_at": change.at_utc,
            "chain_head": {"seq": head.seq, "hash": head.hash},
            "tree": tree,
        }
        header = unit_header(record)
        stamp = document_stamp(self.ctx.clock, change.actor, int(tree["size"]), str(tree["root"]))
        gather = {
            "annual": self._annual,
            "inventory": self._inventory,
            "registers": self._registers,
            "audit": self._audit,
        }[kind]
        pdfs = gather(_Draft(change, period, report, header, stamp, key_fingerprint))
        validate_report(report_structure(report))
        signed_fields = {
            "unit": record.code,
            "kind": kind,
            "period": period,
            "seq": seq,
            "head": head,
            "tree": f"{tree['size']}:{tree['root']}",
        }
        rotation = unit.latest_rotation(change.conn)
        rotated = (
            {
                ROTATION_STATEMENT: rotation.statement,
                ROTATION_SIGNATURE: rotation.signature.encode(),
            }
            if rotation is not None and rotation.new_public == record.signing_public
            else {}
        )
        return {
            **pdfs,
            REPORT_JSON: encode_report(report),
            CHECKPOINT: checkpoint_text(signed_fields, change.at_utc, key_fingerprint),
            **rotated,
        }

    def _scans(self, change: Change, kind: str, period: str) -> dict[str, bytes]:
        """The scans kept in the vault that were attached in the package's period (for an
        inventory: up to its date), each checked against the hash recorded when it came."""
        if kind == "inventory":
            since, before = "", (date.fromisoformat(period) + timedelta(days=1)).isoformat()
        else:
            since, before = f"{period}-01-01", f"{int(period) + 1}-01-01"
        files = {}
        for row in attachments.kept_between(change.conn, since, before):
            data = b"".join(attachments.chunks(change.conn, row.id))
            if hashlib.sha256(data).hexdigest() != row.sha256:
                raise ExportRefused(
                    reason=LazyText(
                        N_(
                            "Attachment #{id} no longer matches the hash recorded when it"
                            " was added."
                        ),
                        id=row.id,
                    )
                )
            files[f"scan-{row.id}-{row.entity}{EXTENSION_OF[row.media_type]}"] = data
        return files

    def _annual(self, d: _Draft) -> dict[str, bytes]:
        stats = StatisticsService(self.ctx).annual(int(d.period))
        start, end = stats.window_start.isoformat(), stats.window_end.isoformat()
        d.report["statistics"] = stats.to_json()
        d.report["dispatched"] = _dispatched(d.change, start, end)
        d.report["received"] = _received(d.change, start, end)
        data = PrintService(self.ctx).annual_data(
            int(d.period), stats=stats, extra_findings=_rotation_finding(d.change)
        )
        return {REPORT_PDF: render_annual_report(data, None, d.stamp)}

    def _inventory(self, d: _Draft) -> dict[str, bytes]:
        inventory = InventoryService(self.ctx).inventory(date.fromisoformat(d.period))
        d.report["inventory"] = {
            "as_of": d.period,
            "rows": [
                {
                    "register_number": line.register_number,
                    "number_symbol": line.number_symbol,
                    "level": line.level.value,
                    "copy": line.copy_number,
                    "state": line.state.value,
                    "holder": line.holder,
                    "location": line.location,
                }
                for line in inventory.lines
            ],
        }
        data = PrintService(self.ctx).inventory_data(inventory.as_of)
        return {REPORT_PDF: render_inventory(data, None, d.stamp)}

    def _registers(self, d: _Draft) -> dict[str, bytes]:
        year = int(d.period)
        d.report["dispatched"] = _dispatched(d.change, f"{year}-01-01", f"{year}-12-31")
        d.report["received"] = _received(d.change, f"{year}-01-01", f"{year}-12-31")
        entries: list[dict[str, Any]] = []
        pdfs: dict[str, bytes] = {}
        for book in REGISTER_BOOKS:
            data = PrintService(self.ctx).register_data(book.value, year, allow_empty=True)
            for entry in data.entries:
                row: dict[str, Any] = {
                    "book": book.value,
                    "number": int(entry.cells["number"]),
                    "year": year,
                    "cancelled": entry.cancelled,
                    "cells": {k: v for k, v in entry.cells.items() if v},
                }
                if entry.level is not None:
                    row["level"] = entry.level.value
                entries.append(row)
            pdfs[f"report-{book.value}.pdf"] = render_register(data, None, d.stamp)
        d.report["registers"] = entries
        return pdfs

    def _audit(self, d: _Draft) -> dict[str, bytes]:
        year = int(d.period)
        events = office.audit_events_between(d.change.conn, f"{year}-01-01", f"{year}-12-31")
        d.report["audit"] = {"events": [asdict(event) for event in events]}
        # Stopgap until reports/ has an audit-log renderer: the year's statistics, with the
        # extract described among the findings.
        summary = plural_text(
            len(events),
            N_("Audit log extract of {year}: {count} event, from number {first} to {last}."),
            N_("Audit log extract of {year}: {count} events, from number {first} to {last}."),
            year=year,
            count=len(events),
            first=events[0].seq if events else "-",
            last=events[-1].seq if events else "-",
        )
        data = PrintService(self.ctx).annual_data(
            year, extra_findings=(*_rotation_finding(d.change), summary.render("vi"))
        )
        return {REPORT_PDF: render_annual_report(data, None, d.stamp)}


def _target_on(volume: media.Volume, target: Path) -> Path:
    """The resolved ``target``: an existing folder inside the volume's mount point, on the
    file system mounted there (the same ``st_dev`` as the mount point)."""
    try:
        resolved = target.resolve(strict=True)
        mount = volume.mount_point.resolve(strict=True)
        same_device = os.stat(resolved).st_dev == os.stat(mount).st_dev
    except (OSError, RuntimeError):
        raise TargetMissing(target=target) from None
    if resolved != mount and mount not in resolved.parents:
        raise NotRemovable(target=target)
    media.resolve_target(mount, str(resolved.relative_to(mount)))
    if not same_device:
        raise NotRemovable(target=target)
    return resolved


def _rotation_finding(change: Change) -> tuple[str, ...]:
    """On the paper of every package carrying a rotation statement: the new fingerprint, for
    the office to type (office rotate)."""
    rotation = unit.latest_rotation(change.conn)
    record = unit.get(change.conn)
    if rotation is None or record is None or rotation.new_public != record.signing_public:
        return ()
    text = LazyText(
        N_(
            "The unit's signing key was replaced from package {seq} on; the old key signed the "
            "rotation statement in this package. New key fingerprint: {fingerprint}."
        ),
        seq=rotation.from_seq,
        fingerprint=fingerprint(rotation.new_public),
    )
    return (text.render("vi"),)


def _key(record: UnitRecord) -> UnitKey:
    return UnitKey(record.signing_private, record.signing_public, record.signing_key_id)


def _dispatched(change: Change, start: str, end: str) -> list[dict[str, Any]]:
    return [
        {
            "number": f"{row.number}/{row.year}",
            "date": row.handed_at[:10],
            "to_body": row.recipient_body,
            "number_symbols": [item.number_symbol for item in row.items],
            "levels": [item.level.value for item in row.items],
            "copies": [item.copies for item in row.items],
        }
        for row in office.dispatches(change.conn, start, end)
        if row.recipient_body
    ]


def _received(change: Change, start: str, end: str) -> list[dict[str, Any]]:
    return [
        {
            "issuer": row.issuer,
            "number_symbol": row.number_symbol,
            "doc_date": row.doc_date,
            "register_number": f"{row.number}/{row.year}",
            "registered_on": row.registered_at[:10],
            "level": row.level.value,
        }
        for row in office.incoming_items(change.conn, start, end)
    ]


def _remove(folder: Path) -> bool:
    """Best effort: take back a package that must not be handed over; True when it is gone."""
    with contextlib.suppress(OSError):
        shutil.rmtree(folder)
    return not folder.exists()


def _unrecorded(folder: Path, error: Exception) -> ExportNotRecorded:
    detail = error.render() if isinstance(error, SecretDeskError) else str(error)
    return ExportNotRecorded(folder=folder, detail=detail, left=not _remove(folder))


# -- verification without a vault (the `verify` command) ------------------------------------
def load_keyring(folder: Path) -> dict[str, str]:
    """A folder of ``<unit code>.pub`` files -> {unit code: public key text}."""
    folder = Path(folder)
    if not folder.is_dir():
        raise KeyFileUnusable(path=folder, reason=LazyText(N_("it is not a folder of .pub files.")))
    keyring = {}
    for path in sorted(folder.glob("*.pub")):
        keyring[path.stem] = _read_key(path)
    if not keyring:
        raise KeyFileUnusable(path=folder, reason=LazyText(N_("it holds no .pub file.")))
    return keyring


def _read_key(path: Path) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
        minisign.parse_public_key(text)
    except (OSError, UnicodeDecodeError) as error:
        raise KeyFileUnusable(path=path, reason=str(error)) from error
    except minisign.MalformedKey:
        raise KeyFileUnusable(
            path=path, reason=LazyText(N_("it is not a minisign/signify public key."))
        ) from None
    return text


def verify_folder(
    folder: Path, *, key_file: Path | None = None, keyring_dir: Path | None = None
) -> Verdict:
    """Verify a package with a pinned key, a keyring folder, or (neither) its own unit.pub.

    Beyond the signatures and checksums: with a keyring, the signed ``unit=`` must be the
    label of the key that signed; report.json must follow the schema and repeat the signed
    description.
    """
    folder = Path(folder)
    keyring: dict[str, str] = {}
    if key_file is not None:
        key_text = _read_key(key_file)
        verdict = verify_package(folder, public_key_text=key_text)
    elif keyring_dir is not None:
        keyring = load_keyring(keyring_dir)
        verdict = verify_package(folder, keyring=keyring)
        key_text = keyring.get(verdict.signer or "", "")
    else:
        verdict = verify_package(folder)
        try:
            key_text = (folder / UNIT_PUB).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            key_text = ""
    return with_unit_checks(verdict, key_text)


def with_unit_checks(verdict: Verdict, public_key_text: str) -> Verdict:
    """Add what the signatures alone do not show: the signer is the unit the package names
    (keyring), and report.json agrees with the signed description."""
    problems: list[PackageProblem] = []
    claimed = verdict.fields.get("unit")
    if verdict.ok and verdict.signer is not None and claimed != verdict.signer:
        problems.append(
            UnitLabelMismatch(file=MINISIGN_SIGNATURE, claimed=claimed, signer=verdict.signer)
        )
    problems.extend(check_report(verdict, public_key_text)[1])
    return replace(verdict, problems=(*verdict.problems, *problems)) if problems else verdict
