"""The supervising office (cơ quan cấp trên): pinning unit keys, importing their signed report
packages, consolidating statistics and reconciling cross-unit handovers (DOMAIN.md §8).

The office keeps its own encrypted vault (created like a unit's). A unit key is pinned only
under the unit code and with the fingerprint both typed from the unit's paper report (the
comment line of unit.pub is not signed: it may only agree); a key pinned by mistake is retired
(``untrust``, audited, the row kept) and no longer used. An import accepts a package only when:

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
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from secretdesk.crypto import minisign
from secretdesk.crypto.signing import fingerprint
from secretdesk.domain import merkle
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission
from secretdesk.domain.text import fold
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText, plural_text, translate
from secretdesk.reports.annual import render_annual_report
from secretdesk.reports.model import AnnualReportData
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.exports import (
    MAX_SEQ,
    check_report,
    parse_unit_pub_comment,
    read_signed,
    unit_pub_comment,
)
from secretdesk.services.stamp import document_stamp, unit_header
from secretdesk.services.statistics import StatisticsService
from secretdesk.storage import audit, office, unit
from secretdesk.storage.office import ReceivedPackage, TrustedUnit
from secretdesk.transfer.errors import UnknownKey
from secretdesk.transfer.layout import CHECKSUMS
from secretdesk.transfer.rotation import (
    MAX_STATEMENT_BYTES,
    ROTATION_SIGNATURE,
    ROTATION_STATEMENT,
    StatementInvalid,
    parse_statement,
    verify_statement,
)
from secretdesk.transfer.verify import verify_package

_UNIT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_HEX = re.compile(r"[0-9A-F]{64}")
PACKAGE_PREFIX = "SecretDesk_"


# -- errors: refusals of trust, reasons a package is rejected, warnings ---------------------
class TrustRefused(SecretDeskError):
    code = "office.trust_refused"
    message = N_("The key was not pinned: {reason}")


class UntrustRefused(SecretDeskError):
    code = "office.untrust_refused"
    message = N_("The key was not retired: {reason}")


class FingerprintMismatch(SecretDeskError):
    code = "office.fingerprint_mismatch"
    message = N_(
        "The key was not pinned: the fingerprint typed from the paper report ({typed}) is not "
        "the fingerprint of this key ({actual}). Check the paper report and the key file; do "
        "not import this unit's packages until they agree."
    )


class UnknownUnitKey(SecretDeskError):
    code = "office.unknown_key"
    message = N_(
        "unknown unit key: the package is signed with key {key_id}, which no pinned unit has. "
        "Pin the unit's key first (office trust), checking its fingerprint on the paper report."
    )


class PackageInvalid(SecretDeskError):
    code = "office.package_invalid"
    message = N_("the package is not valid:")

    def render(self, language: str | None = None) -> str:
        problems = self.params.get("problems", ())
        lines = [
            problem.render(language) if isinstance(problem, SecretDeskError) else str(problem)
            for problem in problems
        ]
        return " ".join([translate(self.message, language), *lines])


class PackageUnreadable(SecretDeskError):
    code = "office.package_unreadable"
    message = N_("the package could not be read ({reason}). Check the stick and import it again.")


class NotVerified(SecretDeskError):
    code = "office.not_verified"
    message = N_("the package was not verified with the key of a pinned unit.")


class UnitClaimMismatch(SecretDeskError):
    code = "office.unit_mismatch"
    message = N_(
        "the package says it comes from unit {claimed}, but it is signed with the key of unit "
        "{signer}."
    )


class AlreadyImported(SecretDeskError):
    code = "office.replay"
    message = N_("replay: package {seq} of unit {unit} was already imported on {at}.")


class OlderThanLatest(SecretDeskError):
    code = "office.replay_older"
    message = N_(
        "replay: package {seq} of unit {unit} is older than package {highest}, already "
        "received. Packages are accepted in order only."
    )


class UnitRolledBack(SecretDeskError):
    code = "office.unit_rolled_back"
    message = N_(
        "WARNING - DATABASE ROLLED BACK: package {seq} of unit {unit} carries audit-chain head "
        "{head}, not later than head {previous} of its package {previous_seq} already received. "
        "The unit's register was restored from an older copy (or copied to another computer). "
        "Inspect the unit before accepting anything more from it."
    )


class HistoryRewritten(SecretDeskError):
    code = "office.history_rewritten"
    message = N_(
        "WARNING - history rewritten or rolled back since package {previous_seq}: package {seq} "
        "of unit {unit} carries audit tree head {head}, and {detail} The unit's audit log no "
        "longer extends the one signed in package {previous_seq} (head {previous}): events were "
        "removed, changed or lost (an older copy restored). Inspect the unit before accepting "
        "anything more from it."
    )


class FiguresContradict(SecretDeskError):
    code = "office.figures_contradict"
    message = N_("The package's figures do not hold: {reason} The package is refused.")


class SequenceGap(SecretDeskError):
    code = "office.gap"
    message = N_("packages {missing} of unit {unit} were never received.")


class RotationRefused(SecretDeskError):
    code = "office.rotation_refused"
    message = N_("The new key of unit {code} was not pinned: {reason}")


class RetiredKeyAfterRotation(SecretDeskError):
    code = "office.retired_key"
    message = N_(
        "package {seq} of unit {unit} is signed with the unit's retired key after its "
        "rotation at package {from_seq}: whoever signed it holds an old copy of the unit's "
        "key. Inspect the unit before accepting anything more from it."
    )


class RotationPending(SecretDeskError):
    code = "office.rotation_pending"
    message = N_(
        "the package is signed with a new key of unit {unit} ({fingerprint}) and carries its "
        "key rotation statement. Check that fingerprint on the paper report, then pin the new "
        "key with office rotate and import the package again."
    )


class PeriodInvalid(SecretDeskError):
    code = "office.period_invalid"
    message = N_("The period is a year written YYYY, not {period}.")


# -- results ---------------------------------------------------------------------------------
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
class UnitTotals:
    code: str
    name: str
    seq: int
    held_by_level: dict[Level, int]
    events: dict[str, dict[Level, int]]
    window: tuple[str, str]


@dataclass(frozen=True)
class OfficeSummary:
    """Consolidated annual statistics of the units for one year (the latest package each)."""

    period: str
    window_start: date
    window_end: date
    units: tuple[UnitTotals, ...]
    missing: tuple[str, ...]  # pinned units that sent no annual report for the period
    held_by_level: dict[Level, int]
    events: dict[str, dict[Level, int]]
    pdf: bytes = field(repr=False, default=b"")

    def to_json(self) -> dict[str, Any]:
        def levels(counts: dict[Level, int]) -> dict[str, int]:
            return {level.value: counts.get(level, 0) for level in Level}

        return {
            "period": self.period,
            "window": {"start": self.window_start.isoformat(), "end": self.window_end.isoformat()},
            "held_by_level": levels(self.held_by_level),
            "events": {kind: levels(counts) for kind, counts in self.events.items()},
            "units": [
                {
                    "code": row.code,
                    "name": row.name,
                    "seq": row.seq,
                    "window": {"start": row.window[0], "end": row.window[1]},
                    "held_by_level": levels(row.held_by_level),
                    "events": {kind: levels(counts) for kind, counts in row.events.items()},
                }
                for row in self.units
            ],
            "missing_units": list(self.missing),
        }


NOT_RECEIVED, NOT_DISPATCHED = "not_received", "not_dispatched"


@dataclass(frozen=True)
class Discrepancy:
    """A handover between two units that only one of them recorded."""

    kind: str  # NOT_RECEIVED: A dispatched, B never registered it; NOT_DISPATCHED: the reverse
    from_unit: str
    to_unit: str
    number_symbol: str
    reference: str  # A's handover number, or B's incoming register number
    on: str  # the date of that handover or registration
    counterpart_reported: bool  # the other unit sent a report that could have listed it

    def describe(self, language: str | None = None) -> str:
        if self.kind == NOT_RECEIVED:
            text = LazyText(
                N_(
                    "{sender} dispatched {item} to {receiver} (handover {reference}, {on}); "
                    "{receiver} never reported it as received."
                ),
                sender=self.from_unit,
                item=self.number_symbol,
                receiver=self.to_unit,
                reference=self.reference,
                on=self.on,
            )
        else:
            text = LazyText(
                N_(
                    "{receiver} registered {item} from {sender} (incoming {reference}, {on}); "
                    "{sender} never reported dispatching it."
                ),
                sender=self.from_unit,
                item=self.number_symbol,
                receiver=self.to_unit,
                reference=self.reference,
                on=self.on,
            )
        rendered = text.render(language)
        if not self.counterpart_reported:
            rendered += " " + translate(N_("(No report for this period from that unit.)"), language)
        return rendered

    def to_json(self, language: str | None = None) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "from_unit": self.from_unit,
            "to_unit": self.to_unit,
            "number_symbol": self.number_symbol,
            "reference": self.reference,
            "date": self.on,
            "counterpart_reported": self.counterpart_reported,
            "text": self.describe(language),
        }


@dataclass(frozen=True)
class UnitOverview:
    """A pinned unit, its last package and the numbers never received (for the office's list)."""

    unit: TrustedUnit
    last: ReceivedPackage | None
    received: int
    missing: tuple[tuple[int, int], ...]  # runs of numbers never received (first, last)

    def warnings(self, language: str | None = None) -> list[str]:
        found = []
        if self.missing:
            ranges = ", ".join(format_range(a, b) for a, b in self.missing)
            found.append(SequenceGap(missing=ranges, unit=self.unit.code).render(language))
        if self.last is None:
            found.append(translate(N_("No package received yet."), language))
        return found


def _gaps(seqs: Sequence[int]) -> tuple[tuple[int, int], ...]:
    """The runs of numbers missing below the highest of ``seqs`` (sorted), from 1."""
    gaps, expected = [], 1
    for seq in seqs:
        if seq > expected:
            gaps.append((expected, seq - 1))
        expected = seq + 1
    return tuple(gaps)


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
    tree: dict[str, Any] | None = None  # report.json's signed tree head and proofs


def normalise_fingerprint(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


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


class OfficeService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- pinning unit keys -------------------------------------------------------------------
    def trusted_units(self, *, include_retired: bool = False) -> list[TrustedUnit]:
        return office.trusted_units(self.ctx.read(), include_retired=include_retired)

    def trust(self, pub_text: str, typed_fingerprint: str, *, code: str) -> TrustedUnit:
        """Pin a unit key under ``code``, after the fingerprint typed from the paper report
        matched it. Both the code and the fingerprint come from the paper report: the comment
        line of unit.pub is not signed, so it may only agree with the code, never supply it."""
        unit_code = code.strip()
        if _UNIT_CODE.fullmatch(unit_code) is None:
            raise TrustRefused(
                reason=LazyText(N_("{code} is not a valid unit code."), code=unit_code)
            )
        try:
            key_id, public = minisign.parse_public_key(pub_text)
        except minisign.MalformedKey:
            raise TrustRefused(
                reason=LazyText(N_("the file is not a minisign/signify public key."))
            ) from None
        actual = fingerprint(public)
        typed = normalise_fingerprint(typed_fingerprint)
        if typed != normalise_fingerprint(actual):
            shown = (
                " ".join(typed[i : i + 4] for i in range(0, 64, 4))
                if _HEX.fullmatch(typed)
                else typed_fingerprint.strip()
            )
            raise FingerprintMismatch(typed=shown, actual=actual)
        named = parse_unit_pub_comment(pub_text)
        if named is not None and named[0] != unit_code:
            raise TrustRefused(
                reason=LazyText(
                    N_("the key file is for unit {named}, not {code}."),
                    named=named[0],
                    code=unit_code,
                )
            )
        unit_name = named[1] if named is not None and named[1].strip() else unit_code
        key_id_text = minisign.key_id_text(key_id)
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            existing = office.trusted_unit_matching(change.conn, code=unit_code, fingerprint=actual)
            if existing is not None:
                if existing.code == unit_code and existing.fingerprint == actual:
                    return existing  # pinned already: nothing to do
                raise TrustRefused(
                    reason=LazyText(
                        N_(
                            "unit {code} is already pinned with key {fingerprint}. If that key "
                            "was pinned by mistake, retire it first (office untrust)."
                        ),
                        code=existing.code,
                        fingerprint=existing.fingerprint,
                    )
                )
            pinned = office.insert_trusted_unit(
                change.conn,
                TrustedUnit(
                    unit_code,
                    unit_name,
                    pub_text,
                    key_id_text,
                    actual,
                    change.at_utc,
                    change.actor.username,
                ),
            )
            change.audit(
                "office.unit_trusted",
                "trusted_unit",
                unit_code,
                name=unit_name,
                key_id=key_id_text,
                fingerprint=actual,
            )
            return pinned

    def untrust(self, code: str, *, reason: str) -> TrustedUnit:
        """Retire the key in use for a unit (pinned by mistake, or replaced): its packages are
        no longer accepted and another key may be pinned for the unit. The row is kept."""
        why = " ".join(reason.split())
        if not why:
            raise UntrustRefused(
                reason=LazyText(N_("give the reason for retiring the key (--reason)."))
            )
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            current = office.trusted_unit_for_code(change.conn, code.strip())
            if current is None:
                raise UntrustRefused(
                    reason=LazyText(N_("no key is pinned for unit {code}."), code=code.strip())
                )
            office.retire_trusted_unit(
                change.conn, current.id, change.at_utc, change.actor.username, why
            )
            change.audit(
                "office.unit_untrusted",
                "trusted_unit",
                current.code,
                key_id=current.key_id,
                fingerprint=current.fingerprint,
                pinned_at=current.pinned_at,
                reason=why,
            )
            return replace(
                current,
                retired_at=change.at_utc,
                retired_by=change.actor.username,
                retired_reason=why,
            )

    def rotate(self, code: str, folder: Path, typed_fingerprint: str) -> TrustedUnit:
        """Pin the unit's new key from the rotation statement in a package (``folder``).

        The package must verify under the new key the statement names; the statement must
        verify under the key pinned for ``code``; the fingerprint typed from the package's
        paper report must be the new key's. The old key is then retired (kept), and its
        packages numbered from the statement's first sequence number on are refused."""
        unit_code = code.strip()

        def refused(reason: LazyText) -> RotationRefused:
            return RotationRefused(code=unit_code, reason=reason)

        conn = self.ctx.read()
        current = office.trusted_unit_for_code(conn, unit_code)
        if current is None:
            raise refused(LazyText(N_("no key is pinned for unit {code}."), code=unit_code))
        folder = Path(folder)
        try:
            data = (folder / ROTATION_STATEMENT).read_bytes()[: MAX_STATEMENT_BYTES + 1]
            signature = (folder / ROTATION_SIGNATURE).read_text("ascii")[:4096]
        except (OSError, UnicodeDecodeError):
            raise refused(LazyText(N_("the package carries no key rotation statement."))) from None
        try:
            statement = verify_statement(current.public_key, data, signature)
        except StatementInvalid:
            raise refused(
                LazyText(
                    N_(
                        "the key rotation statement does not verify under the key pinned for "
                        "unit {code} ({fingerprint}): it was altered, or signed by a key this "
                        "office never pinned."
                    ),
                    code=unit_code,
                    fingerprint=current.fingerprint,
                )
            ) from None
        if statement.unit != unit_code or statement.old_fingerprint != current.fingerprint:
            raise refused(LazyText(N_("the statement is for another unit or another key.")))
        new_text = statement.public_key_text(unit_pub_comment(unit_code, current.name))
        verdict = verify_package(folder, keyring={unit_code: new_text})
        signed = read_signed(verdict, new_text, ROTATION_STATEMENT) if verdict.trusted else None
        if signed is None or signed[1] != data or verdict.fields.get("unit") != unit_code:
            raise refused(
                LazyText(N_("the package is not intact, or not signed with the new key."))
            )
        actual = statement.new_fingerprint
        if normalise_fingerprint(typed_fingerprint) != normalise_fingerprint(actual):
            raise FingerprintMismatch(typed=typed_fingerprint.strip(), actual=actual)
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            again = office.trusted_unit_for_code(change.conn, unit_code)
            if again is None or again.id != current.id:
                raise refused(LazyText(N_("the unit's pinned key changed meanwhile.")))
            why = f"rotated by the unit from package {statement.from_seq}"
            office.retire_trusted_unit(
                change.conn, current.id, change.at_utc, change.actor.username, why
            )
            pinned = office.insert_trusted_unit(
                change.conn,
                TrustedUnit(
                    unit_code,
                    current.name,
                    new_text,
                    minisign.key_id_text(statement.new_key_id),
                    actual,
                    change.at_utc,
                    change.actor.username,
                ),
            )
            office.insert_rotation(
                change.conn,
                unit_code=unit_code,
                old_id=current.id,
                new_id=pinned.id,
                from_seq=statement.from_seq,
                statement=data.decode("utf-8"),
                signature=signature,
                at=change.at_utc,
                by=change.actor.username,
            )
            change.audit(
                "office.unit_key_rotated",
                "trusted_unit",
                unit_code,
                old_fingerprint=current.fingerprint,
                new_fingerprint=actual,
                from_seq=statement.from_seq,
                reason=statement.reason,
            )
            return pinned

    # -- importing packages -------------------------------------------------------------------
    def import_packages(self, folders: Sequence[Path]) -> list[ImportOutcome]:
        """Verify and store packages; one outcome per folder, in the order given.

        Packages are admitted in (unit, sequence) order whatever the order of the folders, in
        one transaction, together with an audit event for each package accepted or rejected.
        """
        self.ctx.actor.require(Permission.RECORD)
        pinned = {u.code: u for u in office.trusted_units(self.ctx.read())}
        outcomes: dict[int, ImportOutcome] = {}
        candidates: list[_Candidate] = []
        for index, folder in enumerate(map(Path, folders)):
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
        with self.ctx.change(Permission.RECORD) as change:
            for candidate in sorted(candidates, key=lambda c: (c.unit_code, c.seq, c.index)):
                outcomes[candidate.index] = self._admit(change, candidate)
            for index in sorted(outcomes):
                _record(change, outcomes[index])
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
            statement = parse_statement((folder / ROTATION_STATEMENT).read_bytes())
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

    def units_overview(self) -> list[UnitOverview]:
        """Every pinned unit with its last package and the numbers never received."""
        conn = self.ctx.read()
        packages: dict[str, list[ReceivedPackage]] = {}
        for package in office.received_packages(conn):
            packages.setdefault(package.unit_code, []).append(package)
        found = []
        for trusted in office.trusted_units(conn):
            got = sorted(packages.get(trusted.code, []), key=lambda p: p.seq)
            missing = _gaps([p.seq for p in got])
            found.append(UnitOverview(trusted, got[-1] if got else None, len(got), missing))
        return found

    # -- consolidation -----------------------------------------------------------------------
    def summary(self, period: str) -> OfficeSummary:
        """Annual statistics summed over the units (each unit's latest package for the year)."""
        year = _year(period)
        start, end, _confirmed = StatisticsService(self.ctx).window(year)
        latest: dict[str, ReceivedPackage] = {}
        for package in office.received_packages(self.ctx.read(), period=period, kind="annual"):
            latest[package.unit_code] = package  # ordered by seq: the last one wins
        names = {u.code: u.name for u in office.trusted_units(self.ctx.read())}
        held = {level: 0 for level in Level}
        events: dict[str, dict[Level, int]] = {}
        rows = []
        for code, package in sorted(latest.items()):
            stats = json.loads(package.report_json)["statistics"]
            unit_held = _levels(stats["held_by_level"])
            unit_events = {kind: _levels(counts) for kind, counts in stats["events"].items()}
            for level, count in unit_held.items():
                held[level] += count
            for kind, counts in unit_events.items():
                total = events.setdefault(kind, {level: 0 for level in Level})
                for level, count in counts.items():
                    total[level] += count
            window = (stats["window"]["start"], stats["window"]["end"])
            rows.append(
                UnitTotals(code, names.get(code, code), package.seq, unit_held, unit_events, window)
            )
        missing = tuple(code for code in sorted(names) if code not in latest)
        summary = OfficeSummary(period, start, end, tuple(rows), missing, held, events)
        with self.ctx.change(Permission.READ) as change:
            pdf = self._summary_pdf(change, summary)
            change.audit("office.summary", "received_package", period, units=[r.code for r in rows])
        return replace(summary, pdf=pdf)

    def _summary_pdf(self, change: Change, summary: OfficeSummary) -> bytes:
        record = unit.get(change.conn)
        if record is None:
            raise TrustRefused(reason=LazyText(N_("The vault holds no unit.")))
        findings = [
            plural_text(
                sum(row.held_by_level.values()),
                N_(
                    "{code} ({name}): report number {seq}, {held} copy held, window {start} to "
                    "{end}."
                ),
                N_(
                    "{code} ({name}): report number {seq}, {held} copies held, window {start} to "
                    "{end}."
                ),
                code=row.code,
                name=row.name,
                seq=row.seq,
                held=sum(row.held_by_level.values()),
                start=row.window[0],
                end=row.window[1],
            ).render("vi")
            for row in summary.units
        ]
        if summary.missing:
            findings.append(
                LazyText(
                    N_("No annual report received from: {units}."), units=", ".join(summary.missing)
                ).render("vi")
            )
        head = audit.head(change.conn)
        data = AnnualReportData(
            unit=unit_header(record),
            year=int(summary.period),
            window_start=summary.window_start,
            window_end=summary.window_end,
            held_by_level=summary.held_by_level,
            events=summary.events,
            findings=tuple(findings),
            key_fingerprint=fingerprint(record.signing_public),
        )
        stamp = document_stamp(self.ctx.clock, change.actor, head.seq, head.hash)
        return render_annual_report(data, None, stamp)

    def reconcile(self, period: str) -> list[Discrepancy]:
        """Handovers between pinned units in the period that only one side recorded."""
        _year(period)
        conn = self.ctx.read()
        units = office.trusted_units(conn)
        names: dict[str, str] = {}
        for trusted in units:
            names[fold(trusted.code)] = trusted.code
            names[fold(trusted.name)] = trusted.code
        received_ever: dict[str, set[str]] = {}
        dispatched_ever: dict[str, set[str]] = {}
        dispatched_now: dict[str, dict[str, dict[str, Any]]] = {}
        received_now: dict[str, dict[str, dict[str, Any]]] = {}
        reported_now: set[str] = set()
        for package in office.received_packages(conn):
            report = json.loads(package.report_json)
            if "dispatched" not in report:
                continue
            code = package.unit_code
            current = package.period == period
            if current:
                reported_now.add(code)
            for row in report["dispatched"]:
                dispatched_ever.setdefault(code, set()).update(map(fold, row["number_symbols"]))
                if current:
                    dispatched_now.setdefault(code, {})[row["number"]] = row
            for row in report["received"]:
                received_ever.setdefault(code, set()).add(fold(row["number_symbol"]))
                if current:
                    received_now.setdefault(code, {})[row["register_number"]] = row
        found: list[Discrepancy] = []
        for sender, rows in sorted(dispatched_now.items()):
            for row in rows.values():
                receiver = names.get(fold(row["to_body"]))
                if receiver is None or receiver == sender:
                    continue
                for symbol in row["number_symbols"]:
                    if fold(symbol) not in received_ever.get(receiver, set()):
                        found.append(
                            Discrepancy(
                                NOT_RECEIVED,
                                sender,
                                receiver,
                                symbol,
                                row["number"],
                                row["date"],
                                receiver in reported_now,
                            )
                        )
        for recipient, registered in sorted(received_now.items()):
            for row in registered.values():
                issuer = names.get(fold(row["issuer"]))
                if issuer is None or issuer == recipient:
                    continue
                if fold(row["number_symbol"]) not in dispatched_ever.get(issuer, set()):
                    found.append(
                        Discrepancy(
                            NOT_DISPATCHED,
                            issuer,
                            recipient,
                            row["number_symbol"],
                            row["register_number"],
                            row.get("registered_on", row["doc_date"]),
                            issuer in reported_now,
                        )
                    )
        return found


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


MAX_COUNT = 10_000_000  # no unit holds or handles ten million documents in a year


def figures_problem(report: Mapping[str, Any]) -> LazyText | None:
    """The first way the report's figures contradict themselves or leave sane bounds: every
    count a non-negative whole number below MAX_COUNT; the window inside its year's reach and
    in order; the incoming items registered in the window, by level, as many as the list of
    them; the parallel lists of each dispatch of equal length."""

    def bad(value: Any) -> bool:
        return isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < MAX_COUNT

    stats = report.get("statistics")
    if stats is not None:
        counts = [stats["held_by_level"], *stats["events"].values()]
        for by_level in counts:
            if any(bad(v) for v in by_level.values()):
                return LazyText(
                    N_("a count is not a whole number between 0 and {limit}."), limit=MAX_COUNT
                )
        window = stats["window"]
        if window["start"] > window["end"]:
            return LazyText(N_("the reporting window ends before it starts."))
        if stats["year"] != int(report["period"]):
            return LazyText(N_("the statistics are for another year than the package."))
        registered = stats["events"].get("registered_incoming")
        received = report.get("received")
        if registered is not None and received is not None:
            listed = {level.value: 0 for level in Level}
            for row in received:
                listed[row["level"]] = listed.get(row["level"], 0) + 1
            if any(registered.get(level, 0) != n for level, n in listed.items()):
                return LazyText(
                    N_("the incoming items registered, counted by level, are not the ones listed.")
                )
    for row in report.get("dispatched", []):
        lengths = {len(row["number_symbols"]), len(row["levels"])}
        if "copies" in row:
            lengths.add(len(row["copies"]))
            if any(bad(v) for v in row["copies"]):
                return LazyText(
                    N_("a count is not a whole number between 0 and {limit}."), limit=MAX_COUNT
                )
        if len(lengths) != 1:
            return LazyText(
                N_("dispatch {number} lists items, levels and copies of different lengths."),
                number=row["number"],
            )
    return None


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


def _levels(counts: dict[str, int]) -> dict[Level, int]:
    return {level: int(counts.get(level.value, 0)) for level in Level}


def _year(period: str) -> int:
    text = period.strip()
    if re.fullmatch(r"[0-9]{4}", text) is None:
        raise PeriodInvalid(period=period)
    return int(text)
