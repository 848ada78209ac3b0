"""Self-test: is this vault what it should be, right now?"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from secretdesk.domain.roles import Permission
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import ServiceContext
from secretdesk.services.interrupted_restore import Leftover, look
from secretdesk.storage import audit, backup_manifest, office
from secretdesk.storage.sqlite import Connection
from secretdesk.storage.vault import REQUIRED_PRAGMAS
from secretdesk.system import airgap

if TYPE_CHECKING:
    from secretdesk.services.approvers import ApproverService


@dataclass(frozen=True)
class Check:
    name: str  # English id, translated by the front end
    ok: bool
    detail: LazyText | str = ""  # technical values (pragmas, versions) stay as they are
    warning_only: bool = False


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

    def self_test(self, restore_leftovers: Iterable[Leftover] = ()) -> SelfTestReport:
        """``restore_leftovers``: what the unlock of this session found and settled beside
        the vault after a killed restore (app.unlock); anything still there is looked for
        again now (and left for the next unlock to settle: this vault is open)."""
        vault = self.ctx.vault
        conn = self.ctx.read(Permission.VERIFY)
        checks = []
        version = vault.cipher_version()
        checks.append(Check(CIPHER, bool(version), version or LazyText(N_("missing"))))
        found = vault.pragmas()
        wrong = {k: v for k, v in found.items() if v != REQUIRED_PRAGMAS[k]}
        checks.append(
            Check(PRAGMAS, not wrong, ", ".join(f"{k}={v}" for k, v in sorted(found.items())))
        )
        problems = vault.integrity_problems()
        checks.append(Check(INTEGRITY, not problems, "; ".join(problems[:5]) or LazyText(_OK)))
        chain = audit.verify(conn)
        detail = (
            LazyText(
                N_("audit events: {count}; chain head {head}"), count=chain.events, head=chain.head
            )
            if chain.ok
            else LazyText(
                N_("broken at event {seq}: {reason}"), seq=chain.first_bad_seq, reason=chain.reason
            )
        )
        checks.append(Check(AUDIT_CHAIN, chain.ok, detail))
        checks.append(self._last_head_check(conn))
        checks.append(self._slot_binding_check(conn))
        checks.append(self._restore_check([*restore_leftovers, *look(vault.data_dir)]))
        # Slots below the Argon2id floor (the demo and test switch) fail the self-test: such a
        # vault must never hold real records.
        weak = vault.weak_slots()
        weak_names = _joined(_slot_name(slot) for slot in weak)
        checks.append(Check(KEY_DERIVATION, not weak, weak_names or "Argon2id"))
        alone = [
            str(event.entity_id)
            for event in audit.events(conn, action_prefix="user.added")
            if event.detail.get("alone")
        ]
        checks.append(
            Check(TWO_PERSON, not alone, ", ".join(alone) or LazyText(_OK), warning_only=True)
        )
        used = audit.events(
            conn, action_prefix="user.passphrase_recovered", newest_first=True, limit=1
        )
        checks.append(
            Check(
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
            Check(
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
        checks.append(self._posts_check())
        findings = airgap.check()
        checks.append(
            Check(
                AIR_GAP,
                not findings,
                _joined((LazyText(f.message, name=f.name) for f in findings), " ") or LazyText(_OK),
                warning_only=True,
            )
        )
        return SelfTestReport(checks)

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
        rekeyed = audit.events(conn, action_prefix="vault.rekeyed", newest_first=True, limit=1)
        since = rekeyed[0].seq if rekeyed else 0
        swapped = sorted(
            {
                event.entity_id
                for event in audit.events(
                    conn, after_seq=since, action_prefix="key.slot_public_replaced"
                )
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

    def _last_head_check(self, conn: Connection) -> Check:
        """Today's log against the largest tree head that left the vault (an export, a
        backup), kept outside the database: a deleted -wal file or an old copy put back loses
        the last transactions without a word, and the events recording those heads with them."""
        mark = backup_manifest.recorded_head(self.ctx.vault.data_dir)
        if mark is None:
            return Check(LAST_HEAD, True, LazyText(N_("no head recorded yet")))
        size = audit.tree_size(conn)
        head = f"{mark.size}:{mark.root[:16]}"
        if mark.size > size:
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
        if not audit.check_head(conn, mark.size, mark.root).extends:
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
