"""Importing the units' signed report packages at the office.

An import accepts a package only when:

- both its signatures verify against a pinned key in use (an unknown key is rejected; key ids
  are not unique, so every key with the id named is tried) and it is complete;
- its signed ``unit=`` is the unit the signing key was pinned for;
- report.json follows the schema and repeats the signed unit, kind, period, seq and head;
- its sequence number is new and above every one received from that unit (a replay or an
  older package is rejected; numbers skipped are accepted with a warning naming them);
- its audit-chain head is later than the head of every earlier package of the unit. A head
  that went backwards, or a second package under a number already received, means the
  unit's database was rolled back to an older copy (or copied): rejected, loudly.

Each folder gets its own outcome: a folder that cannot be read, or any refusal while checking
one package, rejects that package only, never the rest of the batch.

A long import reports its progress and may be cancelled (services/progress.py). Packages are
checked unit by unit, in the order their folder names give (``SecretDesk_<unit>_<kind>_
<period>_<seq>``); a cancel stops before the next package: the units whose packages were all
checked are admitted, and every other package is left untouched (``ImportCancelled``), so the
next import finds no number of theirs taken and no gap made by the cancel.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from secretdesk.domain import merkle
from secretdesk.domain.roles import Permission
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.office.errors import (
    AlreadyImported,
    FiguresContradict,
    HistoryRewritten,
    ImportCancelled,
    NotVerified,
    OlderThanLatest,
    PackageInvalid,
    PackageUnreadable,
    RetiredKeyAfterRotation,
    RotationPending,
    SequenceGap,
    UnitClaimMismatch,
    UnitRolledBack,
    UnknownUnitKey,
)
from secretdesk.services.office.figures import figures_problem
from secretdesk.services.package_v1 import check_report
from secretdesk.services.progress import Progress, quiet
from secretdesk.services.report_v1 import MAX_SEQ, TreePart
from secretdesk.storage import office
from secretdesk.storage.office import TrustedUnit
from secretdesk.transfer.errors import UnknownKey
from secretdesk.transfer.layout import CHECKSUMS
from secretdesk.transfer.rotation import (
    MAX_STATEMENT_BYTES,
    ROTATION_STATEMENT,
    StatementInvalid,
    parse_statement,
)
from secretdesk.transfer.verify import verify_package

PACKAGE_PREFIX = "SecretDesk_"
CHECKING = N_("Checking package {done} of {total}: {name}")
STORING = N_("Storing the accepted packages…")


@dataclass(frozen=True)
class ImportOutcome:
    folder: Path
    accepted: bool
    unit_code: str | None = None
    seq: int | None = None
    kind: str | None = None
    period: str | None = None
    reason: SecretDeskError | None = None  # why it was rejected
    warnings: tuple[SecretDeskError, ...] = ()

    @property
    def alarm(self) -> bool:
        """A rolled-back unit database: to be shown louder than an ordinary rejection."""
        return isinstance(self.reason, UnitRolledBack | HistoryRewritten)

    def to_json(self, language: str | None = None) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "accepted": self.accepted,
            "unit": self.unit_code,
            "seq": self.seq,
            "kind": self.kind,
            "period": self.period,
            "alarm": self.alarm,
            "reason": None if self.reason is None else self.reason.render(language),
            "reason_code": None if self.reason is None else self.reason.code,
            "warnings": [warning.render(language) for warning in self.warnings],
        }


@dataclass(frozen=True)
class _Candidate:
    """A package that verified and whose report agrees with its signature."""

    index: int
    folder: Path
    unit_code: str
    trusted_unit_id: int  # the pinned key that verified it
    seq: int
    kind: str
    period: str
    head_seq: int
    head_hash: str
    sums_sha256: str
    report_text: str
    tree: TreePart | None = None  # report.json's signed tree head and proofs


def format_range(first: int, last: int) -> str:
    """The numbers first..last from their ends ("2-4", "5"): a gap may be huge."""
    return str(first) if first == last else f"{first}-{last}"


def find_packages(paths: Sequence[Path]) -> list[Path]:
    """Package folders: each path given, or the SecretDesk_* folders inside a path that is
    not itself a package (the root of a stick).

    A path that cannot be read is returned as it is: its import then says why it failed.
    """
    found: list[Path] = []
    for path in map(Path, paths):
        try:
            if path.is_dir() and not (path / CHECKSUMS).exists():
                inside = sorted(
                    p for p in path.iterdir() if p.is_dir() and p.name.startswith(PACKAGE_PREFIX)
                )
                found.extend(inside or [path])
                continue
        except OSError:
            pass
        found.append(path)
    return found


class PackageImports:
    """Verifying packages and admitting them in (unit, sequence) order."""

    ctx: ServiceContext

    def import_packages(
        self, folders: Sequence[Path], progress: Progress | None = None
    ) -> list[ImportOutcome]:
        """Verify and store packages; one outcome per folder, in the order given.

        Packages are admitted in (unit, sequence) order whatever the order of the folders, in
        one transaction, together with an audit event for each package accepted or rejected.
        ``progress`` hears of each package checked; a cancel stops at the next package (see
        the module's docstring): the outcome of each package left untouched is
        ``ImportCancelled``.
        """
        self.ctx.actor.require(Permission.RECORD)
        progress = progress or quiet()
        paths = list(map(Path, folders))
        total = len(paths)
        pinned = {u.code: u for u in office.trusted_units(self.ctx.read())}
        outcomes: dict[int, ImportOutcome] = {}
        candidates: list[_Candidate] = []
        order = sorted(range(total), key=lambda i: (_name_key(paths[i]), i))
        stopped: int | None = None  # the position in ``order`` where a cancel stopped
        for position, index in enumerate(order):
            folder = paths[index]
            progress.step(
                position,
                total + 1,
                LazyText(CHECKING, done=position + 1, total=total, name=folder.name),
            )
            if progress.cancelled:
                stopped = position
                break
            try:
                checked = self._check(index, folder, pinned)
            except SecretDeskError as error:  # one bad package never stops the batch
                checked = ImportOutcome(folder, False, reason=error)
            except OSError as error:
                reason = PackageUnreadable(reason=error.strerror or str(error))
                checked = ImportOutcome(folder, False, reason=reason)
            except (ValueError, LookupError, TypeError, RecursionError, MemoryError) as error:
                # whatever a hostile package makes a parser raise: judged alone, never the batch
                reason = PackageUnreadable(reason=f"{type(error).__name__}: {error}"[:300])
                checked = ImportOutcome(folder, False, reason=reason)
            if isinstance(checked, ImportOutcome):
                outcomes[index] = checked
            else:
                candidates.append(checked)
        untouched: list[int] = []
        if stopped is not None:
            # The unit being checked when the cancel came is left whole for the next import.
            unit = _name_key(paths[order[stopped]])[:2]
            group = {i for i in order if _name_key(paths[i])[:2] == unit}
            untouched = sorted(group | set(order[stopped:]))
            for index in untouched:
                outcomes.pop(index, None)
            candidates = [c for c in candidates if c.index not in group]
        progress.step(total, total + 1, LazyText(STORING), cancellable=False)
        with self.ctx.change(Permission.RECORD) as change:
            for candidate in sorted(candidates, key=lambda c: (c.unit_code, c.seq, c.index)):
                outcomes[candidate.index] = self._admit(change, candidate)
            for index in sorted(outcomes):
                _record(change, outcomes[index])
        for index in untouched:
            outcomes[index] = ImportOutcome(paths[index], False, reason=ImportCancelled())
        progress.step(total + 1, total + 1, LazyText(STORING), cancellable=False)
        return [outcomes[index] for index in sorted(outcomes)]

    def _check(
        self, index: int, folder: Path, pinned: dict[str, TrustedUnit]
    ) -> _Candidate | ImportOutcome:
        keyring = {code: trusted.public_key for code, trusted in pinned.items()}
        verdict = verify_package(folder, keyring=keyring)
        unknown = [p for p in verdict.problems if isinstance(p, UnknownKey)]
        if unknown:
            return self._unknown_key(index, folder, unknown[0].params["key_id"])
        fields = verdict.fields
        claimed, signer = fields.get("unit"), verdict.signer
        if not verdict.trusted:
            return _rejected(folder, fields, PackageInvalid(problems=verdict.problems))
        if signer is None or signer not in pinned:  # fail closed, whatever the verdict says
            return _rejected(folder, fields, NotVerified())
        if claimed != signer:
            return _rejected(folder, fields, UnitClaimMismatch(claimed=claimed, signer=signer))
        signed, problems = check_report(verdict, pinned[signer].public_key)
        if signed is None:
            return _rejected(folder, fields, PackageInvalid(problems=problems))
        report = signed.report
        contradiction = figures_problem(report)
        if contradiction is not None:
            return _rejected(folder, fields, FiguresContradict(reason=contradiction))
        return _Candidate(
            index,
            folder,
            str(claimed),
            pinned[signer].id,
            int(report["seq"]),
            str(report["kind"]),
            str(report["period"]),
            int(report["chain_head"]["seq"]),
            str(report["chain_head"]["hash"]),
            hashlib.sha256(signed.checksums).hexdigest(),
            json.dumps(report, ensure_ascii=False, separators=(",", ":")),
            report.get("tree"),
        )

    def _unknown_key(self, index: int, folder: Path, key_id: str) -> _Candidate | ImportOutcome:
        """A package signed by no key in use: by a key retired by a rotation (refused from
        the rotation's first number on, naming why; admitted by its old key below it), or
        by a new key whose rotation statement the office has not yet accepted."""
        conn = self.ctx.read()
        for rotated in office.rotated_keys(conn):
            if rotated.old.key_id != key_id:
                continue
            old = {rotated.old.code: rotated.old}
            verdict = verify_package(folder, keyring={rotated.old.code: rotated.old.public_key})
            if not verdict.trusted or verdict.fields.get("unit") != rotated.old.code:
                continue
            seq = _seq_or_none(verdict.fields.get("seq"))
            if seq is None or seq >= rotated.from_seq:
                return _rejected(
                    folder,
                    verdict.fields,
                    RetiredKeyAfterRotation(
                        unit=rotated.old.code, seq=seq, from_seq=rotated.from_seq
                    ),
                )
            return self._check(index, folder, old)  # made before the rotation, arriving late
        try:
            statement = parse_statement(_unsigned_statement(folder / ROTATION_STATEMENT))
        except (OSError, StatementInvalid):
            return ImportOutcome(folder, False, reason=UnknownUnitKey(key_id=key_id))
        return ImportOutcome(
            folder,
            False,
            reason=RotationPending(unit=statement.unit, fingerprint=statement.new_fingerprint),
        )

    def _admit(self, change: Change, c: _Candidate) -> ImportOutcome:
        def rejected(reason: SecretDeskError) -> ImportOutcome:
            return ImportOutcome(c.folder, False, c.unit_code, c.seq, c.kind, c.period, reason)

        conn = change.conn
        same = office.received(conn, c.unit_code, c.seq)
        if same is not None and same.sums_sha256 == c.sums_sha256:
            return rejected(AlreadyImported(unit=c.unit_code, seq=c.seq, at=same.imported_at))
        earlier = office.head_before(conn, c.unit_code, c.seq)
        previous = earlier if same is None else same
        if previous is not None and (same is not None or c.head_seq <= previous.head_seq):
            return rejected(
                UnitRolledBack(
                    unit=c.unit_code,
                    seq=c.seq,
                    head=f"{c.head_seq}:{c.head_hash[:16]}",
                    previous=f"{previous.head_seq}:{previous.head_hash[:16]}",
                    previous_seq=previous.seq,
                )
            )
        rewritten = _history_problem(conn, c)
        if rewritten is not None:
            return rejected(rewritten)
        highest = office.highest_seq(conn, c.unit_code) or 0
        if c.seq < highest:
            return rejected(OlderThanLatest(unit=c.unit_code, seq=c.seq, highest=highest))
        warnings: tuple[SecretDeskError, ...] = ()
        if c.seq > highest + 1:
            missing = format_range(highest + 1, c.seq - 1)
            warnings = (SequenceGap(unit=c.unit_code, missing=missing),)
        office.insert_received(
            conn,
            unit_code=c.unit_code,
            trusted_unit_id=c.trusted_unit_id,
            seq=c.seq,
            kind=c.kind,
            period=c.period,
            head_seq=c.head_seq,
            head_hash=c.head_hash,
            tree_size=None if c.tree is None else int(c.tree["size"]),
            tree_root=None if c.tree is None else str(c.tree["root"]),
            folder_name=c.folder.name,
            sums_sha256=c.sums_sha256,
            report_json=c.report_text,
            imported_at=change.at_utc,
            imported_by=change.actor.username,
        )
        return ImportOutcome(c.folder, True, c.unit_code, c.seq, c.kind, c.period, None, warnings)


def _rejected(folder: Path, fields: Any, reason: SecretDeskError) -> ImportOutcome:
    seq = fields.get("seq")
    return ImportOutcome(
        folder,
        False,
        fields.get("unit"),
        _seq_or_none(seq),
        fields.get("kind"),
        fields.get("period"),
        reason,
    )


def _seq_or_none(value: Any) -> int | None:
    """A signed seq as a number, when it is one ASCII number in range (else shown as none)."""
    text = str(value) if value is not None else ""
    if re.fullmatch("[0-9]+", text) is None or len(text) > len(str(MAX_SEQ)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_SEQ else None


def _history_problem(conn: Any, c: _Candidate) -> HistoryRewritten | None:
    """The package's audit tree must extend the last tree head accepted from the unit: a
    consistency proof from exactly that head (size and root as the office stored them) must
    verify. A refused package is never stored, so the reference head never moves on it."""
    reference = office.last_tree_head(conn, c.unit_code, c.seq)
    if reference is None:
        return None  # the first package with a tree head: nothing to extend yet
    previous_seq, size, root = reference

    def refused(detail: LazyText) -> HistoryRewritten:
        head = "-" if c.tree is None else f"{c.tree['size']}:{str(c.tree['root'])[:16]}"
        return HistoryRewritten(
            unit=c.unit_code,
            seq=c.seq,
            head=head,
            previous=f"{size}:{root[:16]}",
            previous_seq=previous_seq,
            detail=detail,
        )

    if c.tree is None:
        return refused(LazyText(N_("it carries no audit tree head at all.")))
    new_size, new_root = int(c.tree["size"]), bytes.fromhex(str(c.tree["root"]))
    if new_size < size:
        return refused(LazyText(N_("its log is shorter than before.")))
    proofs = [e for e in c.tree["consistency"] if int(e["size"]) == size]
    if new_size == size:
        proofs = [{"size": size, "root": root, "proof": []}]
    if not proofs:
        return refused(LazyText(N_("it carries no consistency proof from that head.")))
    for entry in proofs:
        path = [bytes.fromhex(node) for node in entry["proof"]]
        if merkle.verify_consistency(size, new_size, bytes.fromhex(root), new_root, path):
            return None
    return refused(LazyText(N_("its consistency proof from that head does not verify.")))


def _name_key(folder: Path) -> tuple[int, str, int]:
    """The unit and number a package's folder name gives (``SecretDesk_<unit>_<kind>_
    <period>_<seq>``), to check the packages unit by unit; names of another form come last,
    together. Only the order depends on the name: what is admitted is what was signed."""
    name = folder.name
    if name.startswith(PACKAGE_PREFIX):
        parts = name[len(PACKAGE_PREFIX) :].rsplit("_", 3)
        if len(parts) == 4 and parts[0] and parts[3].isdigit():
            return (0, parts[0], int(parts[3]))
    return (1, "", 0)


def _record(change: Change, outcome: ImportOutcome) -> None:
    detail = {
        "folder": outcome.folder.name,
        "unit": outcome.unit_code,
        "seq": outcome.seq,
        "kind": outcome.kind,
        "period": outcome.period,
    }
    if outcome.accepted:
        warnings = [w.render("en") for w in outcome.warnings]
        change.audit(
            "office.package_imported", "received_package", None, **detail, warnings=warnings
        )
    else:
        assert outcome.reason is not None
        action = "office.unit_rolled_back" if outcome.alarm else "office.package_rejected"
        change.audit(
            action,
            "received_package",
            None,
            **detail,
            reason=outcome.reason.code,
            detail=outcome.reason.render("en"),
        )


def _unsigned_statement(path: Path) -> bytes:
    """key-rotation.json of a package signed by a key the office does not know: no signature
    it can check covers it yet, so it is read only if it is a plain file, without waiting (a
    named pipe would block the import) and never past the size a statement may have."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        status = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_STATEMENT_BYTES:
        os.close(fd)
        raise StatementInvalid("not a plain file of at most 64 KiB")
    with os.fdopen(fd, "rb") as handle:
        return handle.read(MAX_STATEMENT_BYTES + 1)
