"""Drafts (dự thảo) of future outgoing items, managed like secrets from the first line."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from secretdesk.domain.levels import Level


class DraftStatus(StrEnum):
    WORKING = "working"
    SUPERSEDED = "superseded"  # a newer version replaced it
    FINALISED = "finalised"  # registered as an outgoing item
    DESTROYED = "destroyed"


class DraftStep(StrEnum):
    SUPERSEDE = "supersede"
    FINALISE = "finalise"
    DESTROY = "destroy"


# Only a working draft is superseded or finalised; every draft not yet destroyed is destroyed
# when no longer needed.
DRAFT_TRANSITIONS: dict[tuple[DraftStatus, DraftStep], DraftStatus] = {
    (DraftStatus.WORKING, DraftStep.SUPERSEDE): DraftStatus.SUPERSEDED,
    (DraftStatus.WORKING, DraftStep.FINALISE): DraftStatus.FINALISED,
    (DraftStatus.WORKING, DraftStep.DESTROY): DraftStatus.DESTROYED,
    (DraftStatus.SUPERSEDED, DraftStep.DESTROY): DraftStatus.DESTROYED,
    (DraftStatus.FINALISED, DraftStep.DESTROY): DraftStatus.DESTROYED,
}


@dataclass(frozen=True)
class Draft:
    id: int
    entry_id: int
    year: int
    number: int
    title: str
    version: int
    drafter: str
    drafted_on: str
    computer: str
    proposed_level: Level
    status: DraftStatus
    supersedes_id: int | None
    item_id: int | None

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"

    def to_json(self) -> dict[str, Any]:
        """The draft in ``--json`` output (README "JSON output"): every field above under its
        own name, except ``number``, which is the register number as a str ("4/2026");
        ``proposed_level`` a Level value; null where there is none."""
        return {
            "id": self.id,
            "entry_id": self.entry_id,
            "year": self.year,
            "number": self.label,
            "title": self.title,
            "version": self.version,
            "drafter": self.drafter,
            "drafted_on": self.drafted_on,
            "computer": self.computer,
            "proposed_level": self.proposed_level.value,
            "status": str(self.status),
            "supersedes_id": self.supersedes_id,
            "item_id": self.item_id,
        }
