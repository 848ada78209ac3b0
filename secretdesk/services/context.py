"""What every service needs: the vault, the acting user and the clock.

``ServiceContext.change(permission)`` opens the one transaction of a service call after
checking the actor's permission; the ``Change`` it yields appends audit events to that same
transaction, so a change and its audit record are committed together or not at all.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from secretdesk.domain.roles import Actor, Permission
from secretdesk.storage import audit
from secretdesk.storage.sqlite import Connection
from secretdesk.storage.vault import Vault
from secretdesk.system.clock import Clock


@dataclass
class Change:
    conn: Connection
    actor: Actor
    at_utc: str

    def audit(
        self, action: str, entity: str, entity_id: str | int | None = None, **detail: Any
    ) -> audit.ChainHead:
        return audit.append(
            self.conn,
            at_utc=self.at_utc,
            actor=self.actor.username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )


@dataclass
class ServiceContext:
    vault: Vault
    actor: Actor
    clock: Clock

    def now_utc(self) -> str:
        return self.clock.now().astimezone(UTC).isoformat(timespec="seconds")

    def today(self) -> date:
        return self.clock.now().astimezone().date()

    @contextlib.contextmanager
    def change(self, permission: Permission) -> Iterator[Change]:
        self.actor.require(permission)
        with self.vault.transaction() as conn:
            yield Change(conn, self.actor, self.now_utc())

    def read(self, permission: Permission = Permission.READ) -> Connection:
        self.actor.require(permission)
        return self.vault.connection
