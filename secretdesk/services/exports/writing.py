"""Writing a package: the sequence number reserved, the package written, verified, recorded.

A sequence number is never issued twice, and never taken for a package the writer would refuse
(the writer's checks of folder, name, space and write access run before the reservation
commits). See the package's docstring (services/exports/__init__.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shlex
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from secretdesk.crypto import minisign
from secretdesk.crypto.signing import UnitKey, fingerprint
from secretdesk.domain.export_kinds import EXPORT_KINDS
from secretdesk.domain.roles import Permission
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import ServiceContext
from secretdesk.services.exports.contents import ReportContents
from secretdesk.services.exports.errors import ExportNotRecorded, ExportRefused
from secretdesk.services.exports.targets import VolumeTargets, _target_on
from secretdesk.services.exports.verify import with_unit_checks
from secretdesk.services.package_v1 import unit_pub_comment
from secretdesk.services.printing import PrintService
from secretdesk.services.progress import Progress, quiet
from secretdesk.services.report_v1 import signed_tree
from secretdesk.storage import audit, backup_manifest, office
from secretdesk.storage.audit import ChainHead
from secretdesk.storage.office import StartedExport
from secretdesk.storage.unit import UnitRecord
from secretdesk.transfer import media
from secretdesk.transfer.errors import TargetMissing, TransferError
from secretdesk.transfer.layout import format_trusted_comment
from secretdesk.transfer.package import FileOps, precheck, write_package
from secretdesk.transfer.verify import Verdict, verify_package

KINDS = EXPORT_KINDS
_UNIT_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_YEAR = re.compile(r"[0-9]{4}")

# The steps of an export; a cancel is honoured up to RESERVING, before the number is taken.
GATHERING = N_("Gathering the report and making its printouts…")
RESERVING = N_("Checking the stick and reserving the export number…")
WRITING = N_("Writing and verifying the package on the stick…")
RECORDING = N_("Recording the export…")
EXPORT_STEPS = 5
NOTHING_KEPT = N_("Nothing was written to the stick and no export number was used.")


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


class ExportService(VolumeTargets, ReportContents):
    def __init__(
        self,
        ctx: ServiceContext,
        *,
        volumes: Callable[[], list[media.Volume]] = media.list_removable_volumes,
        ops: FileOps | None = None,
        printing: PrintService | None = None,
    ) -> None:
        """``printing`` comes from the composition root (app.py); alone, one is built."""
        self.ctx = ctx
        self.printing = printing or PrintService(ctx)
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
        progress: Progress | None = None,
    ) -> ExportResult:
        """``with_scans`` adds the scans attached in the period (issue 18), hashed and signed
        like every other file of the package; off by default, they can be large.

        ``progress`` hears of each step. A cancel is honoured at each safe point up to the
        reservation of the number (``Cancelled``: the transaction is rolled back, nothing was
        written and no number used); from then on the package is written to the end (it is
        written under a staging name and renamed, never left half-written)."""
        progress = progress or quiet()
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
        reserved = self._reserve(kind, period, target, with_scans, progress)
        progress.step(3, EXPORT_STEPS, LazyText(WRITING), cancellable=False)
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
        progress.step(4, EXPORT_STEPS, LazyText(RECORDING), cancellable=False)
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
        progress.step(EXPORT_STEPS, EXPORT_STEPS, LazyText(RECORDING), cancellable=False)
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

    def _reserve(
        self,
        kind: str,
        period: str,
        target: Path,
        with_scans: bool = False,
        progress: Progress | None = None,
    ) -> _Reserved:
        """Gather the report and reserve its sequence number, in one committed transaction.

        Every check the writer makes before writing (target folder, name, free space, write
        access) runs before the transaction commits: a package that would be refused takes
        no number, so the office never sees a gap for it. So does a cancel: ``progress`` is
        checked before and after each long step, inside the transaction."""
        progress = progress or quiet()
        kept = LazyText(NOTHING_KEPT)
        progress.step(0, EXPORT_STEPS, LazyText(GATHERING))
        progress.check(kept)
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
            # The scans come first: report.json lists them (part of gathering).
            scans, listing = self._scans(change, kind, period) if with_scans else ({}, [])
            files = self._files(change, kind, period, record, seq, head, tree, listing)
            progress.step(1, EXPORT_STEPS, LazyText(RESERVING))
            progress.check(kept)
            files.update(scans)
            progress.step(2, EXPORT_STEPS, LazyText(RESERVING))
            progress.check(kept)
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
            progress.check(kept)  # the last safe point: the number is taken below
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


def _key(record: UnitRecord) -> UnitKey:
    return UnitKey(record.signing_private, record.signing_public, record.signing_key_id)


def _remove(folder: Path) -> bool:
    """Best effort: take back a package that must not be handed over; True when it is gone."""
    with contextlib.suppress(OSError):
        shutil.rmtree(folder)
    return not folder.exists()


def _unrecorded(folder: Path, error: Exception) -> ExportNotRecorded:
    detail = error.render() if isinstance(error, SecretDeskError) else str(error)
    return ExportNotRecorded(folder=folder, detail=detail, left=not _remove(folder))
