"""Reading and verifying the audit chain."""

from __future__ import annotations

from secretdesk.domain.merkle import TreeHead
from secretdesk.domain.roles import Permission
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_
from secretdesk.services.context import ServiceContext
from secretdesk.storage import audit
from secretdesk.storage.audit import AuditEvent, ChainHead, ChainVerification, HeadCheck


class HeadUnreadable(SecretDeskError):
    code = "audit.head_unreadable"
    message = N_(
        "{head} is not a tree head: write it as on the slip, register page or package, the "
        "number of events, a colon and at least 8 hexadecimal digits (for example 42:1f0c9a7b)."
    )


class AuditService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def verify(self) -> ChainVerification:
        return audit.verify(self.ctx.read(Permission.VERIFY))

    def head(self) -> ChainHead:
        return audit.head(self.ctx.read())

    def tree_head(self) -> TreeHead:
        return audit.tree_head(self.ctx.read())

    def check_head(self, text: str) -> HeadCheck:
        """Does today's log extend a head typed or scanned from a slip, a register page or a
        package (``SIZE:HEX``, the tree root or, on papers printed before the tree, the chain
        hash)? The log is recomputed from its events, not taken from the stored tree."""
        parsed = audit.parse_head(text)
        if parsed is None:
            raise HeadUnreadable(head=text.strip())
        return audit.check_head(self.ctx.read(Permission.VERIFY), *parsed)

    def events(
        self, *, limit: int = 50, action_prefix: str | None = None, after_seq: int = 0
    ) -> list[AuditEvent]:
        conn = self.ctx.read(Permission.VERIFY)
        if after_seq:
            return audit.events(conn, after_seq=after_seq, limit=limit, action_prefix=action_prefix)
        newest = audit.events(conn, limit=limit, action_prefix=action_prefix, newest_first=True)
        return list(reversed(newest))
