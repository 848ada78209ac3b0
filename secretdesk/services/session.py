"""What opening a session does, as service calls (app.py calls them; it holds no use case).

Every unlock, recovery and new vault keeps the database's copy of the legal-basis rules in
step with resources/rules (with the note a migration may have left for the audit log), and
an unlock records the failed attempts before it. Each is one transaction with its permission
check and its audit events, like every other use case.
"""

from __future__ import annotations

from collections.abc import Sequence

from secretdesk.domain.roles import Permission
from secretdesk.services.context import ServiceContext
from secretdesk.services.interrupted_restore import Leftover
from secretdesk.services.registry import sync_legal_bases
from secretdesk.storage import users


class SessionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def sync_rules(self) -> list[str]:
        """Bring the legal bases in the database in step with resources/rules; the codes of
        those that changed (audited as ``rules.updated``). A note left by a migration is
        written to the audit log in the same transaction."""
        with self.ctx.change(Permission.READ) as change:
            note = users.take_migration_note(change.conn, "clearance")
            if note is not None:
                change.audit("user.clearance_granted_by_migration", "user", None, **note)
            changed = sync_legal_bases(change.conn)
            if changed:
                change.audit("rules.updated", "legal_basis", None, codes=changed)
        return changed

    def record_restore_leftovers(self, leftovers: Sequence[Leftover]) -> None:
        """What a killed restore had left beside the vault, settled before this unlock."""
        with self.ctx.change(Permission.READ) as change:
            change.audit(
                "vault.interrupted_restore",
                "vault",
                None,
                found=[item.text.render("en") for item in leftovers],
                settled=all(item.settled for item in leftovers),
            )

    def record_failed_unlocks(self) -> int:
        """Record in the audit log how many unlocks failed before this one (none: nothing)."""
        failures = self.ctx.vault.failed_unlocks_before
        if failures:
            with self.ctx.change(Permission.READ) as change:
                change.audit("session.failed_unlocks", "vault", failures=failures)
        return failures

    def pin_key_slots(self) -> None:
        """Pin slot public keys in the audit log (services/users.py pin_slots): the acting
        user's slot when their passphrase has just opened it (its private key is theirs, so
        its public key is too: not after the recovery code), and, the first time a vault meets
        this check, every slot as it stands (trust on first use, said in the log). A public
        key that someone swapped into the slot and this unlock found is recorded."""
        from secretdesk.services.users import pin_slots

        vault, me = self.ctx.vault, self.ctx.actor.username
        with self.ctx.change(Permission.READ) as change:
            if vault.public_replaced is not None:
                change.audit(
                    "key.slot_public_replaced",
                    "user",
                    me,
                    swapped_fingerprint=vault.public_replaced,
                    pinned_by_seq=users.slot_pin_seqs(change.conn, vault.public_replaced),
                )
            if not users.slot_pins(change.conn):
                pin_slots(change, vault, vault.slots.usernames(), "first pinned")
            elif not vault.opened_with_recovery_code:
                pin_slots(change, vault, [me], "passphrase proved at unlock")
