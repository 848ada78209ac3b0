"""Reading and verifying the audit chain."""

from __future__ import annotations

from secretdesk.domain.roles import Permission
from secretdesk.services.context import ServiceContext
from secretdesk.storage import audit
from secretdesk.storage.audit import AuditEvent, ChainHead, ChainVerification


class AuditService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def verify(self) -> ChainVerification:
        return audit.verify(self.ctx.read(Permission.VERIFY))

    def head(self) -> ChainHead:
        return audit.head(self.ctx.read())

    def events(
        self, *, limit: int = 50, action_prefix: str | None = None, after_seq: int = 0
    ) -> list[AuditEvent]:
        conn = self.ctx.read(Permission.VERIFY)
        if after_seq:
            return audit.events(conn, after_seq=after_seq, limit=limit, action_prefix=action_prefix)
        newest = audit.events(conn, limit=limit, action_prefix=action_prefix, newest_first=True)
        return list(reversed(newest))
