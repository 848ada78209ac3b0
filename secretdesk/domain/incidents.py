"""Incidents: loss, leak, signs of tampering on an envelope (sự cố mất, lộ, bì bị bóc)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class IncidentKind(StrEnum):
    LOSS = "loss"  # mất
    LEAK = "leak"  # lộ
    TAMPERING = "tampering"  # bì có dấu hiệu bị bóc

    @property
    def loses_the_copy(self) -> bool:
        """A loss or a leak takes the copy out of custody (lost or leaked); tampering not."""
        return self in (IncidentKind.LOSS, IncidentKind.LEAK)


@dataclass(frozen=True)
class Incident:
    id: int
    kind: IncidentKind
    copy_id: int | None
    description: str
    occurred_at: str  # when it happened or was discovered (local time, minutes)
    reported_by: str  # who reported it to the head
    reported_to: str  # the head (or deputy) it was reported to
    created_at: str  # when it was recorded (UTC)

    def to_json(self) -> dict[str, Any]:
        """The incident in ``--json`` output (README "JSON output"): every field above under
        its own name; ``copy_id`` int or null, the rest str."""
        return {
            "id": self.id,
            "kind": str(self.kind),
            "copy_id": self.copy_id,
            "description": self.description,
            "occurred_at": self.occurred_at,
            "reported_by": self.reported_by,
            "reported_to": self.reported_to,
            "created_at": self.created_at,
        }
