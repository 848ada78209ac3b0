"""Users, their passphrases, and countersignatures by approvers."""

from __future__ import annotations

import re

from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, Permission, Role
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import ServiceContext
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.storage import users
from secretdesk.storage.errors import WrongPassphrase

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


class UserService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def change_own_passphrase(self, old: str, new: str) -> None:
        """Rewrites only the actor's key slot; the database is not re-encrypted."""
        ctx = self.ctx
        ctx.vault.change_passphrase(ctx.actor.username, old, new)
        with ctx.change(Permission.READ) as change:
            change.audit("user.passphrase_changed", "user", ctx.actor.username)

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
    ) -> Actor:
        """A new account and its key slot; approvers need the highest level they may approve."""
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
            )
            change.audit(
                "user.added",
                "user",
                username,
                after={"role": role.value, "max_level": max_level.value if max_level else None},
            )
            # The key slot is written last: if it fails, the transaction rolls back the user.
            self.ctx.vault.set_user_passphrase(username, passphrase)
            return actor

    def set_disabled(self, username: str, disabled: bool = True) -> Actor:
        """A disabled user's key slot is removed: they can no longer unlock the vault."""
        with self.ctx.change(Permission.MANAGE_USERS) as change:
            actor = users.by_username(change.conn, username)
            if actor is None:
                raise NotFound(what=LazyText(N_("user")), ref=username)
            if username == self.ctx.actor.username:
                raise InvalidRequest(reason=LazyText(N_("You cannot disable your own account.")))
            users.set_disabled(change.conn, username, disabled)
            change.audit(
                "user.disabled" if disabled else "user.enabled",
                "user",
                username,
                before={"disabled": actor.disabled},
                after={"disabled": disabled},
            )
            if disabled:
                self.ctx.vault.remove_user_slot(username)
            updated = users.by_username(change.conn, username)
            assert updated is not None
            return updated

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
