"""Reading and verifying the audit chain."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

from secretdesk.domain.handovers import Handover
from secretdesk.domain.merkle import TreeHead
from secretdesk.domain.roles import Permission
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_
from secretdesk.services.context import ServiceContext
from secretdesk.storage import audit, items, workflow
from secretdesk.storage.audit import AuditEvent, ChainHead, ChainVerification, HeadCheck
from secretdesk.storage.sqlite import Connection


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
        """The events, leaving out those about records above the reader's clearance."""
        return self.visible_events(limit=limit, action_prefix=action_prefix, after_seq=after_seq)[0]

    def visible_events(
        self,
        *,
        limit: int = 50,
        action_prefix: str | None = None,
        after_seq: int = 0,
        actor: str | None = None,
        since: date | None = None,
    ) -> tuple[list[AuditEvent], int]:
        """A page of the events the reader may see (the newest ``limit``, or the first
        ``limit`` after ``after_seq``) and how many events of the whole filtered log were left
        out because they name a record (its number, symbol or level) above the reader's
        clearance. The reader's own events (such as their refused attempts) stay: they name
        nothing new. ``actor`` keeps one user's events, ``since`` those from that local day on."""
        conn = self.ctx.read(Permission.VERIFY)
        hidden = {level.value for level in self.ctx.actor.hidden_levels()}
        since_utc = None
        if since is not None:
            midnight = datetime.combine(since, time()).astimezone()
            since_utc = midnight.astimezone(UTC).isoformat(timespec="seconds")
        found, left_out = audit.visible_events(
            conn,
            hidden=hidden,
            reader=self.ctx.actor.username,
            after_seq=after_seq,
            limit=limit,
            action_prefix=action_prefix,
            newest_first=not after_seq,
            actor=actor,
            since_utc=since_utc,
        )
        return (found if after_seq else list(reversed(found))), left_out


def _item_level(conn: Connection, item_id: int) -> str | None:
    item = items.get_item(conn, item_id)
    return None if item is None else item.level.value


def _concerns(conn: Connection, event: AuditEvent, hidden: set[str]) -> bool:
    """Does ``event`` name a record at one of the ``hidden`` levels?"""
    try:
        detail = json.loads(event.detail_json)
    except ValueError:
        detail = None
    if isinstance(detail, dict):
        for key in ("level", "old_level", "new_level", "from_level", "to_level"):
            if str(detail.get(key)) in hidden:
                return True
    if not event.entity_id or not event.entity_id.isdigit():
        return False
    entity_id = int(event.entity_id)
    if event.entity == "item":
        return _item_level(conn, entity_id) in hidden
    if event.entity == "copy":
        copy = items.get_copy(conn, entity_id)
        return copy is not None and _item_level(conn, copy.item_id) in hidden
    if event.entity == "handover":
        handover = workflow.get_handover(conn, entity_id)
        return handover is not None and handover_level_hidden(conn, handover, hidden)
    return False


def handover_level_hidden(conn: Connection, handover: Handover, hidden: set[str]) -> bool:
    """Does the handover carry a copy of a record at one of the ``hidden`` levels?"""
    for copy_id in handover.copy_ids:
        copy = items.get_copy(conn, copy_id)
        if copy is not None and _item_level(conn, copy.item_id) in hidden:
            return True
    return False
