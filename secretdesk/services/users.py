"""Users and their passphrases."""

from __future__ import annotations

from secretdesk.domain.roles import Actor, Permission
from secretdesk.services.context import ServiceContext
from secretdesk.storage import users


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
