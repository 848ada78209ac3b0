"""Users, their passphrases, and countersignatures by approvers.

Two-person control: creating or enabling an approver, council member or administrator,
raising anyone's clearance, resetting another user's passphrase and re-keying the vault need
the countersignature of another approver or administrator, never the actor. Only while the
vault has nobody who could countersign (the first such account after set-up) may the
administrator act alone, and the audit event says so.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterable

from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, Permission, Role
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.services.unit_keys import rotate_unit_key
from secretdesk.storage import users
from secretdesk.storage.errors import WrongPassphrase
from secretdesk.storage.sqlite import Connection
from secretdesk.storage.unit import KeyRotation
from secretdesk.storage.vault import Vault

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
PRIVILEGED_ROLES = frozenset({Role.APPROVER, Role.COUNCIL, Role.ADMIN})
COUNTERSIGNING_ROLES = frozenset({Role.APPROVER, Role.ADMIN})


class CountersignatureRequired(SecretDeskError):
    code = "auth.countersignature_required"
    message = N_(
        "This needs the countersignature of another approver or administrator "
        "(--approver USER), never the person acting."
    )


class RecoveryNotForThisAccount(SecretDeskError):
    code = "auth.recovery_admin_only"
    message = N_(
        "The recovery code restores an administrator's own access only; ask the "
        "administrator to reset the passphrase of {user}."
    )


def recovery_holder(conn: Connection) -> str | None:
    """The administrator the recovery code belongs to: the one who was shown it, that is who
    created the vault or last re-keyed it (the audit log records both). None when the log
    names neither (then any administrator may use it, as before)."""
    row = conn.execute(
        "SELECT actor FROM audit_event WHERE action IN ('vault.created', 'vault.rekeyed')"
        " ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])


def pin_slots(change: Change, vault: Vault, names: Iterable[str], why: str) -> None:
    """Pin in the audit log the public key of each named user's slot as the program just
    wrote it (or the owner's passphrase just proved it); a re-key seals the new data key
    only to pinned public keys, so a key bound into someone's slot by hand gets nothing
    unless its binder also forges an event in the log."""
    pinned = users.slot_pins(change.conn)
    for name in names:
        found = vault.slot_fingerprint(name)
        if found is not None and found not in pinned.get(name, set()):
            change.audit(users.SLOT_PIN_ACTION, "user", name, fingerprint=found, why=why)


class UserService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def change_own_passphrase(self, old: str, new: str) -> None:
        """Rewrites only the actor's key slot; the database is not re-encrypted."""
        ctx = self.ctx
        ctx.vault.change_passphrase(ctx.actor.username, old, new)
        with ctx.change(Permission.READ) as change:
            change.audit("user.passphrase_changed", "user", ctx.actor.username)
            pin_slots(change, ctx.vault, [ctx.actor.username], "passphrase changed")

    def list(self) -> list[Actor]:
        return users.all_users(self.ctx.read())

    def add(
        self,
        username: str,
        role: Role,
        passphrase: str,
        *,
        full_name: str = "",
        max_level: Level | None = None,
        clearance: Level = Level.TUYET_MAT,
        approver: Actor | None = None,
    ) -> Actor:
        """A new account and its key slot; approvers need the highest level they may approve.

        An approver, council member or administrator needs ``approver``'s countersignature
        (see the module docstring)."""
        if not USERNAME.match(username):
            raise InvalidRequest(
                reason=LazyText(
                    N_("A user name is 2 to 32 lower-case letters, digits, dots or dashes.")
                )
            )
        if role is Role.APPROVER and max_level is None:
            raise InvalidRequest(
                reason=LazyText(N_("An approver needs the highest level they may approve."))
            )
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            second = self._second_person(approver) if role in PRIVILEGED_ROLES else {}
            if users.by_username(change.conn, username) is not None:
                raise InvalidRequest(
                    reason=LazyText(N_("The user {user} already exists."), user=username)
                )
            actor = users.insert(
                change.conn,
                username=username,
                full_name=full_name.strip(),
                role=role,
                max_level=max_level,
                created_at=change.at_utc,
                clearance=clearance,
            )
            change.audit(
                "user.added",
                "user",
                username,
                after={
                    "role": role.value,
                    "max_level": max_level.value if max_level else None,
                    "clearance": clearance.value,
                },
                **second,
            )
            # The key slot is written last: if it fails, the transaction rolls back the user.
            self.ctx.vault.set_user_passphrase(username, passphrase)
            pin_slots(change, self.ctx.vault, [username], "user added")
            return actor

    def set_disabled(
        self, username: str, disabled: bool = True, *, approver: Actor | None = None
    ) -> Actor:
        """A disabled user's key slot is removed and the vault is re-keyed at once (see
        ``rekey``; the new recovery code is then in ``last_recovery_code``), so a copy of their
        slot kept in an old backup opens nothing written from now on. Enabling an approver,
        council member or administrator needs a countersignature."""
        self.last_recovery_code: str | None = None
        self.last_rotation: KeyRotation | None = None
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            actor = users.by_username(change.conn, username)
            if actor is None:
                raise NotFound(what=LazyText(N_("user")), ref=username)
            if username == self.ctx.actor.username:
                raise InvalidRequest(reason=LazyText(N_("You cannot disable your own account.")))
            second = (
                self._second_person(approver)
                if not disabled and actor.role in PRIVILEGED_ROLES
                else {}
            )
            users.set_disabled(change.conn, username, disabled)
            change.audit(
                "user.disabled" if disabled else "user.enabled",
                "user",
                username,
                before={"disabled": actor.disabled},
                after={"disabled": disabled},
                **second,
            )
            if disabled:
                self.ctx.vault.remove_user_slot(username)
            updated = users.by_username(change.conn, username)
            assert updated is not None
        if disabled:
            waiting = self.ctx.vault.legacy_slot_users()
            if waiting:
                # Slots of the old format cannot be sealed again without their passphrase:
                # the re-key waits until those users have unlocked once (then: rekey).
                with self.ctx.change(Permission.READ) as change:
                    change.audit("vault.rekey_postponed", "vault", None, waiting_for=waiting)
            else:
                self.last_recovery_code = self._rekey(f"user {username} disabled", {})
            # After the re-key: the new unit key is written only into the re-keyed database.
            with self.ctx.change(Permission.READ) as change:
                self.last_rotation = rotate_unit_key(change, f"user {username} disabled")
        return updated

    def rotate_unit_key(self, approver: Actor | None, reason: str = "") -> KeyRotation:
        """A new unit signing key on demand (administrator with a countersignature); the
        old key signs the rotation statement carried by the next package."""
        self.ctx.actor.require(Permission.MANAGE_USERS)
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            second = self._second_person(approver, always=True)
            return rotate_unit_key(change, " ".join(reason.split()) or "on demand", **second)

    def set_clearance(self, username: str, level: Level, approver: Actor | None) -> Actor:
        """The highest level ``username`` may see; countersigned by another approver/admin."""
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            second = self._second_person(approver)
            actor = users.by_username(change.conn, username)
            if actor is None:
                raise NotFound(what=LazyText(N_("user")), ref=username)
            users.set_clearance(change.conn, username, level)
            change.audit(
                "user.clearance_changed",
                "user",
                username,
                before={"clearance": actor.clearance.value},
                after={"clearance": level.value},
                **second,
            )
            updated = users.by_username(change.conn, username)
            assert updated is not None
            return updated

    def reset_passphrase(
        self, username: str, passphrase: str, approver: Actor | None
    ) -> str | None:
        """Give another user a new passphrase (they forgot theirs); countersigned.

        The vault is then re-keyed as when a user is disabled, so a copy of the key file kept
        with the old passphrase (which someone else may know) opens nothing written from now
        on. Returns the new recovery code (also in ``last_recovery_code``), to be shown once;
        None when the re-key waits for users with old-format slots (then: rekey)."""
        self.last_recovery_code = None
        if username == self.ctx.actor.username:
            raise InvalidRequest(reason=LazyText(N_("Change your own passphrase with passwd.")))
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            second = self._second_person(approver)
            target = users.by_username(change.conn, username)
            if target is None or target.disabled:
                raise NotFound(what=LazyText(N_("user")), ref=username)
            change.audit("user.passphrase_reset", "user", username, **second)
            self.ctx.vault.set_user_passphrase(username, passphrase)
            pin_slots(change, self.ctx.vault, [username], "passphrase reset")
        waiting = self.ctx.vault.legacy_slot_users()
        if waiting:
            with self.ctx.change(Permission.READ) as change:
                change.audit("vault.rekey_postponed", "vault", None, waiting_for=waiting)
        else:
            self.last_recovery_code = self._rekey(f"passphrase of {username} reset", second)
        return self.last_recovery_code

    def rekey_waiting_for(self) -> builtins.list[str]:
        """Users whose slot is of the old format: a re-key waits until they unlock once."""
        return self.ctx.vault.legacy_slot_users()

    def rekey(self, approver: Actor | None, reason: str = "") -> str:
        """A new data key on demand (administrator with a countersignature).

        Returns the new recovery code, to be shown once."""
        self.ctx.actor.require(Permission.MANAGE_USERS)
        second = self._second_person(approver, always=True)
        return self._rekey(reason or "on demand", second)

    def recover_own_access(self, new_passphrase: str, *, person: str = "") -> str:
        """Set a new passphrase for the acting administrator on a vault opened with the
        printed recovery code (``app.recover``), then re-key it so the used code opens nothing
        any more; the new recovery code, to be shown once.

        Only an administrator's own access is restored (never another role's account), and
        only that of the administrator who was shown the code: who created the vault or last
        re-keyed it (``recovery_holder``). A refusal is audited (``auth.recovery_refused``);
        the name typed by the person using the code goes into every event.
        """
        vault, username, typed = self.ctx.vault, self.ctx.actor.username, person.strip()
        if not vault.opened_with_recovery_code:
            raise RuntimeError("recover_own_access needs a vault opened with the recovery code")
        holder = recovery_holder(vault.connection)
        if self.ctx.actor.role is not Role.ADMIN or holder not in (None, username):
            with self.ctx.change(Permission.READ) as change:
                change.audit("auth.recovery_refused", "user", username, typed_name=typed)
            raise RecoveryNotForThisAccount(user=username)
        vault.set_user_passphrase(username, new_passphrase)
        with self.ctx.change(Permission.READ) as change:
            change.audit("user.passphrase_recovered", "user", username, typed_name=typed)
            pin_slots(change, vault, [username], "recovered")
        return self.rekey_after_recovery(typed)

    def rekey_after_recovery(self, typed_name: str) -> str:
        """The used recovery code must open nothing more: a new data key and a new code."""
        return self._rekey("recovery code used", {"typed_name": typed_name})

    def _rekey(self, reason: str, second: dict[str, object]) -> str:
        with self.ctx.change(Permission.READ) as change:
            change.audit("vault.rekey_started", "vault", None, reason=reason, **second)
            enabled = {u.username for u in users.all_users(change.conn) if not u.disabled}
            # Only the register's enabled users keep a slot: a slot written into the key file by
            # hand (an insider's "ghost" account) is not sealed the new key.
            pinned = users.slot_pins(change.conn)
        unknown = sorted(set(self.ctx.vault.slots.usernames()) - enabled)
        # A slot whose public key the log never pinned for its user (bound there by someone
        # holding the data key) is set aside, not sealed the new key.
        code = self.ctx.vault.rekey(only=enabled, pinned=pinned)
        quarantined = [s.removeprefix("user:") for s in self.ctx.vault.rekey_quarantined]
        # A slot whose public key was swapped in by someone without the data key is left out.
        unknown += [s.removeprefix("user:") for s in self.ctx.vault.rekey_refused]
        with self.ctx.change(Permission.READ) as change:
            change.audit(
                "vault.rekeyed",
                "vault",
                None,
                reason=reason,
                recovery_replaced=True,
                **({"slots_dropped": unknown} if unknown else {}),
                **({"slots_quarantined": quarantined} if quarantined else {}),
            )
        return code

    def _second_person(self, approver: Actor | None, *, always: bool = False) -> dict[str, object]:
        """The countersignature of two-person control, as audit detail."""
        actor = self.ctx.actor
        if approver is None:
            # Disabled accounts count: otherwise an administrator could disable every other
            # approver (no countersignature needed) and then act alone.
            others = [
                user
                for user in users.all_users(self.ctx.vault.connection)
                if user.role in COUNTERSIGNING_ROLES and user.username != actor.username
            ]
            if others or always:
                raise CountersignatureRequired()
            return {"countersigned_by": None, "alone": "nobody else could countersign"}
        if approver.username == actor.username or approver.role not in COUNTERSIGNING_ROLES:
            raise CountersignatureRequired()
        if approver.disabled:
            raise CountersignatureRequired()
        return {"countersigned_by": approver.username}

    def countersign(self, username: str, passphrase: str) -> Actor:
        """An approver proves their passphrase at the moment of approval.

        A wrong passphrase counts against that approver's lockout and is itself recorded in
        the audit log (naming the account tried), so guessing cannot go unnoticed.
        """
        actor = users.by_username(self.ctx.read(), username)
        if (
            actor is not None
            and not actor.disabled
            and self.ctx.vault.check_passphrase(username, passphrase, self.ctx.clock)
        ):
            return actor
        with self.ctx.change(Permission.READ) as change:
            change.audit("auth.countersign_failed", "user", username)
        raise WrongPassphrase()
