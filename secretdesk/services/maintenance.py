"""Self-test: is this vault what it should be, right now?"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from secretdesk.domain.roles import Permission
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import ServiceContext
from secretdesk.services.interrupted_restore import Leftover, look
from secretdesk.storage import audit, backup_manifest, office
from secretdesk.storage.errors import VaultDamaged
from secretdesk.storage.sqlite import Connection
from secretdesk.storage.vault import DB_FILE, REQUIRED_PRAGMAS, PageCheck
from secretdesk.system import airgap

if TYPE_CHECKING:
    from secretdesk.services.approvers import ApproverService


@dataclass(frozen=True)
class Check:
    name: str  # English id, translated by the front end
    ok: bool
    detail: LazyText | str = ""  # technical values (pragmas, versions) stay as they are
    warning_only: bool = False
    seconds: float = 0.0  # how long the check took


class _Stopwatch:
    """The seconds each self-test step took: from the end of the step before to its check."""

    def __init__(self) -> None:
        self._last = time.perf_counter()

    def timed(self, check: Check) -> Check:
        now = time.perf_counter()
        seconds, self._last = now - self._last, now
        return dataclasses.replace(check, seconds=seconds)

    def check(
        self, name: str, ok: bool, detail: LazyText | str = "", warning_only: bool = False
    ) -> Check:
        return self.timed(Check(name, ok, detail, warning_only))


@dataclass(frozen=True)
class SelfTestReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(check.ok or check.warning_only for check in self.checks)


CIPHER = N_("Encryption (SQLCipher)")
PRAGMAS = N_("Database settings")
INTEGRITY = N_("Database integrity")
AUDIT_CHAIN = N_("Audit chain")
AIR_GAP = N_("Air gap")
KEY_DERIVATION = N_("Passphrase key derivation")
UNCONFIRMED_EXPORTS = N_("Exports confirmed")
TWO_PERSON = N_("Two-person control")
RECOVERY_USED = N_("Recovery code")
LAST_HEAD = N_("Last exported head")
APPROVER_POSTS = N_("Approver posts")
INTERRUPTED_RESTORE = N_("Interrupted restore")
SLOT_BINDING = N_("Key slot binding")
_OK = N_("ok")


def _slot_name(slot: str) -> LazyText:
    """A key slot as the clerk knows it: the recovery code, or a user's passphrase."""
    if slot.startswith("user:"):
        return LazyText(N_("passphrase of user {user}"), user=slot[5:])
    return LazyText(N_("the recovery code"))


def _joined(parts: Iterable[LazyText], separator: str = ", ") -> LazyText | str:
    """Several translated findings on one line, each rendered in the reader's language."""
    found = list(parts)
    template = separator.join(f"{{p{i}}}" for i in range(len(found)))
    return LazyText(template, **{f"p{i}": part for i, part in enumerate(found)}) if found else ""


class MaintenanceService:
    def __init__(self, ctx: ServiceContext, approvers: ApproverService) -> None:
        self.ctx = ctx
        self.approvers = approvers  # the self-test reports the approver-post gap

    def self_test(
        self, restore_leftovers: Iterable[Leftover] = (), *, full: bool = False
    ) -> SelfTestReport:
        """Every check in turn, each with the seconds it took (``Check.seconds``). The audit
        log is recomputed once: the same pass verifies it and finds the tree at the last
        head that left the vault. ``restore_leftovers``: what the unlock of this session found
        and settled beside the vault after a killed restore (app.unlock); anything still there
        is looked for again now (and left for the next unlock to settle: this vault is open).

        Every page of the database is authenticated each time; ``full`` also checks the
        structure of every table and index, six times the cost (35 s more at a million items),
        and records that it did, so the quick test can say when it last ran."""
        vault = self.ctx.vault
        conn = self.ctx.read(Permission.VERIFY)
        checks: list[Check] = []
        clock = _Stopwatch()
        version = vault.cipher_version()
        checks.append(clock.check(CIPHER, bool(version), version or LazyText(N_("missing"))))
        found = vault.pragmas()
        wrong = {k: v for k, v in found.items() if v != REQUIRED_PRAGMAS[k]}
        checks.append(
            clock.check(PRAGMAS, not wrong, ", ".join(f"{k}={v}" for k, v in sorted(found.items())))
        )
        # Every page is read and authenticated on a connection of its own while this one
        # checks the audit log and the rest (its row keeps its place, third).
        with vault.integrity_aside(structure=full) as pages:
            checks.extend(self._beside_the_pages(conn, clock, restore_leftovers))
        checks.insert(2, self._integrity_check(pages.result(), full))
        return SelfTestReport(checks)

    def _beside_the_pages(
        self, conn: Connection, clock: _Stopwatch, restore_leftovers: Iterable[Leftover]
    ) -> list[Check]:
        """The checks after the pages', made while the pages are read on their own thread."""
        vault = self.ctx.vault
        checks: list[Check] = []
        mark = backup_manifest.recorded_head(self.ctx.vault.data_dir)
        size = audit.tree_size(conn)
        head_check = None
        if mark is not None and mark.size <= size:
            head_check = audit.check_head(conn, mark.size, mark.root)
            chain = head_check.log
        else:
            chain = audit.verify(conn)
        detail = (
            LazyText(
                N_("audit events: {count}; chain head {head}"),
                count=chain.events,
                head=chain.head,
            )
            if chain.ok
            else LazyText(
                N_("broken at event {seq}: {reason}"),
                seq=chain.first_bad_seq,
                reason=chain.reason,
            )
        )
        checks.append(clock.check(AUDIT_CHAIN, chain.ok, detail))
        checks.append(clock.timed(self._last_head_check(mark, size, head_check)))
        checks.append(clock.timed(self._slot_binding_check(conn)))
        checks.append(clock.timed(self._restore_check([*restore_leftovers, *look(vault.data_dir)])))
        # Slots below the Argon2id floor (the demo and test switch) fail the self-test: such a
        # vault must never hold real records.
        weak = vault.weak_slots()
        weak_names = _joined(_slot_name(slot) for slot in weak)
        checks.append(clock.check(KEY_DERIVATION, not weak, weak_names or "Argon2id"))
        alone = [
            str(event.entity_id)
            for event in audit.events(conn, action="user.added", entity="user")
            if event.detail.get("alone")
        ]
        checks.append(
            clock.check(TWO_PERSON, not alone, ", ".join(alone) or LazyText(_OK), warning_only=True)
        )
        used = audit.events(
            conn,
            action="user.passphrase_recovered",
            newest_first=True,
            limit=1,
            entity="user",
        )
        checks.append(
            clock.check(
                RECOVERY_USED,
                True,
                (
                    f"{used[0].at_utc} {used[0].entity_id}: {used[0].detail.get('typed_name', '')}"
                    if used
                    else "-"
                ),
            )
        )
        started = office.unconfirmed_exports(conn)
        checks.append(
            clock.check(
                UNCONFIRMED_EXPORTS,
                not started,
                _joined(
                    LazyText(
                        N_("package {seq} ({kind} {period})"),
                        seq=s.seq,
                        kind=s.kind,
                        period=s.period,
                    )
                    for s in started
                )
                or LazyText(_OK),
                warning_only=True,
            )
        )
        checks.append(clock.timed(self._posts_check()))
        findings = airgap.check()
        checks.append(
            clock.check(
                AIR_GAP,
                not findings,
                _joined((LazyText(f.message, name=f.name) for f in findings), " ") or LazyText(_OK),
                warning_only=True,
            )
        )
        return checks

    def _integrity_check(self, pages: PageCheck, full: bool) -> Check:
        """The pages always; the structure when ``full``, recorded as
        ``vault.integrity_checked`` (a damaged vault or a backup records nothing)."""
        check = functools.partial(Check, INTEGRITY, seconds=pages.seconds)
        if pages.problems:  # what was found, and what to do: a damaged vault's words
            path = self.ctx.vault.data_dir / DB_FILE
            found = "; ".join(pages.problems[:5])
            return check(False, LazyText(VaultDamaged.message, path=path, detail=found))
        if full:
            # A backup opened to be checked (README) stays as its manifest describes it, or
            # it could no longer be restored: the check is recorded in a vault, not a backup.
            if not (self.ctx.vault.data_dir / backup_manifest.MANIFEST_FILE).exists():
                with self.ctx.change(Permission.VERIFY) as change:
                    change.audit("vault.integrity_checked", "vault", None, structure="ok")
            return check(True, LazyText(N_("every page authenticated; structure ok")))
        last = audit.events(
            self.ctx.read(Permission.VERIFY),
            action="vault.integrity_checked",
            newest_first=True,
            limit=1,
        )
        if not last:
            return check(
                True,
                LazyText(N_("every page authenticated; the full check has never been run")),
            )
        return check(
            True,
            LazyText(
                N_("every page authenticated; the full check last found it sound on {day}"),
                day=datetime.fromisoformat(last[0].at_utc).astimezone().strftime("%d/%m/%Y"),
            ),
        )

    def _posts_check(self) -> Check:
        """The approver-post check is opt-in until the unit gives a post: say so (issue 14)."""
        gap = self.approvers.gap()
        return Check(APPROVER_POSTS, gap is None, gap or LazyText(_OK), warning_only=True)

    def _slot_binding_check(self, conn: Connection) -> Check:
        """Slots the last re-key set aside (their public key was never pinned for their
        user), and public keys swapped into a slot that its owner's unlock found since the
        last re-key: either means someone holding the data key bound a key of their own."""
        found: list[LazyText] = []
        aside = [s.removeprefix("user:") for s in sorted(self.ctx.vault.slots.quarantined)]
        if aside:
            found.append(
                LazyText(
                    N_("set aside at the last re-key (reset their passphrases): {users}."),
                    users=", ".join(aside),
                )
            )
        rekeyed = audit.events(conn, action="vault.rekeyed", newest_first=True, limit=1)
        since = rekeyed[0].seq if rekeyed else 0
        swapped = sorted(
            {
                event.entity_id
                for event in audit.events(conn, after_seq=since, action="key.slot_public_replaced")
            }
        )
        if swapped:
            found.append(
                LazyText(
                    N_(
                        "another public key was found in the slot of {users} and put back: "
                        "re-key once whoever did it has left."
                    ),
                    users=", ".join(swapped),
                )
            )
        return Check(SLOT_BINDING, not found, _joined(found, " ") or LazyText(_OK))

    def _restore_check(self, leftovers: list[Leftover]) -> Check:
        """A restore killed half-way: what its folders were and what was done with them. A
        failure while one is not settled (the vault is a restored copy never finished)."""
        settled = all(item.settled for item in leftovers)
        detail = _joined((item.text for item in leftovers), " ") or LazyText(_OK)
        return Check(INTERRUPTED_RESTORE, not leftovers, detail, warning_only=settled)

    def _last_head_check(
        self, mark: backup_manifest.RecordedHead | None, size: int, check: audit.HeadCheck | None
    ) -> Check:
        """Today's log against the largest tree head that left the vault (an export, a
        backup), kept outside the database: a deleted -wal file or an old copy put back loses
        the last transactions without a word, and the events recording those heads with them.
        ``check`` is that head checked against today's log, recomputed from its events."""
        if mark is None:
            return Check(LAST_HEAD, True, LazyText(N_("no head recorded yet")))
        head = f"{mark.size}:{mark.root[:16]}"
        if mark.size > size or check is None:
            return Check(
                LAST_HEAD,
                False,
                LazyText(
                    N_(
                        "the vault is behind its last exported head {head} (the log now ends at"
                        " event {events}): data was lost or rolled back. Restore the newest"
                        " backup."
                    ),
                    head=head,
                    events=size,
                ),
            )
        if not check.extends:
            return Check(
                LAST_HEAD,
                False,
                LazyText(
                    N_(
                        "today's log does not extend the last exported head {head}: history "
                        "was rewritten or rolled back."
                    ),
                    head=head,
                ),
            )
        return Check(LAST_HEAD, True, LazyText(N_("the log extends head {head}"), head=head))

    def record_network_warnings(self, warnings: list[str]) -> None:
        """The computer was seen connected (or a socket was refused): keep it in the log."""
        with self.ctx.change(Permission.READ) as change:
            change.audit("system.network_warning", "system", None, findings=warnings)

    def record_session(self, action: str, **detail: object) -> None:
        """A GUI session was opened, locked (idle or by hand) or closed."""
        with self.ctx.change(Permission.READ) as change:
            change.audit(f"session.{action}", "session", self.ctx.actor.username, **detail)

    def backup(self, parent: Path) -> Path:
        """Copy the vault (database and key file, still encrypted) into ``parent``."""
        self.ctx.actor.require(Permission.RECORD)
        head = audit.head(self.ctx.read())
        tree = audit.tree_head(self.ctx.read())
        folder = self.ctx.vault.backup("manual", parent, created_at=self.ctx.now_utc())
        with contextlib.suppress(OSError):
            backup_manifest.record_head(
                self.ctx.vault.data_dir, tree.size, tree.root.hex(), "backup"
            )
        with self.ctx.change(Permission.RECORD) as change:
            change.audit("vault.backup", "vault", None, folder=folder.name, head=str(head))
        return folder
