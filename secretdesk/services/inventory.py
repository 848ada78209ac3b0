"""Inventory at a date (kiểm kê) and musters (kiểm đếm thực tế) with their discrepancy list.

The inventory is read from the custody history: the state and holder of every copy at the end
of the day. A muster records which copies were physically found; every copy the register has
in active custody (in storage, issued, out of storage) that was not found is missing, and a
copy found that the register says is not here (in transit, delivered, returned, destroyed,
lost) is unexpected. Both kinds make the discrepancy list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from secretdesk.domain.custody import ACTIVE_STATES, CopyState
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import ServiceContext
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.storage import inventory
from secretdesk.storage.inventory import MusterLineRow, SnapshotRow

NOT_HERE_STATES = frozenset(
    {
        CopyState.IN_TRANSIT,
        CopyState.DELIVERED,
        CopyState.RETURNED_TO_ISSUER,
        CopyState.DESTROYED,
        CopyState.LOST_OR_LEAKED,
    }
)
MISSING, UNEXPECTED = "missing", "unexpected"


@dataclass(frozen=True)
class InventoryLine:
    """One copy in the inventory: field names follow reports.model.InventoryRow."""

    copy_id: int
    item_id: int
    register_number: str
    number_symbol: str
    level: Level
    copy_number: str  # the copy's label, "Bản số 1" / "Bản sao số 2"
    state: CopyState
    holder: str
    location: str


@dataclass(frozen=True)
class Inventory:
    as_of: date
    lines: tuple[InventoryLine, ...]
    hidden: int = 0  # copies above the reader's clearance, left out

    def count(self, state: CopyState) -> int:
        return sum(1 for line in self.lines if line.state is state)


@dataclass(frozen=True)
class Discrepancy:
    """A difference a muster found: a missing copy, or one found that should not be here."""

    copy_id: int
    copy: str  # "Bản số 1 - 12/QĐ-STP"
    number_symbol: str
    level: Level
    kind: str  # missing | unexpected
    recorded_state: CopyState  # what the register says
    recorded_holder: str
    found: bool

    def to_json(self) -> dict[str, Any]:
        """One discrepancy in ``muster --json``: every field above under its own name."""
        return {
            "copy_id": self.copy_id,
            "copy": self.copy,
            "number_symbol": self.number_symbol,
            "level": self.level.value,
            "kind": self.kind,
            "recorded_state": self.recorded_state.value,
            "recorded_holder": self.recorded_holder,
            "found": self.found,
        }


@dataclass(frozen=True)
class MusterResult:
    muster_id: int
    held_on: date
    held_by: str
    expected: int  # copies in active custody according to the register
    found: tuple[int, ...]
    discrepancies: tuple[Discrepancy, ...]

    @property
    def missing(self) -> tuple[Discrepancy, ...]:
        return tuple(d for d in self.discrepancies if d.kind == MISSING)

    @property
    def unexpected(self) -> tuple[Discrepancy, ...]:
        return tuple(d for d in self.discrepancies if d.kind == UNEXPECTED)


def end_of_day_utc(day: date) -> str:
    """The last second of a local day, as the UTC text the custody history uses."""
    local = datetime.combine(day, time(23, 59, 59)).astimezone()
    return local.astimezone(UTC).isoformat(timespec="seconds")


def _line(row: SnapshotRow) -> InventoryLine:
    return InventoryLine(
        row.copy_id,
        row.item_id,
        row.register_number,
        row.number_symbol,
        row.level,
        row.copy_label,
        row.state,
        row.holder,
        row.storage_location,
    )


class InventoryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def inventory(self, at: date | None = None, *, active_only: bool = False) -> Inventory:
        """Every copy that existed at the end of ``at``, with its state and holder then."""
        at = at or self.ctx.today()
        if at > self.ctx.today():
            raise InvalidRequest(
                reason=LazyText(
                    N_("An inventory cannot be taken of a day still to come ({date})."),
                    date=at.strftime("%d/%m/%Y"),
                )
            )
        rows = inventory.snapshot(self.ctx.read(), end_of_day_utc(at))
        lines = tuple(_line(r) for r in rows if not active_only or r.state in ACTIVE_STATES)
        visible = tuple(line for line in lines if self.ctx.actor.may_see(line.level))
        return Inventory(at, visible, hidden=len(lines) - len(visible))

    def muster(self, found_copy_ids: list[int], on: date | None = None) -> MusterResult:
        """Record a physical count against the register at the end of ``on`` (default today)."""
        held_on = on or self.ctx.today()
        if held_on > self.ctx.today():
            raise InvalidRequest(reason=LazyText(N_("The muster date is in the future.")))
        if len(set(found_copy_ids)) != len(found_copy_ids):
            raise InvalidRequest(reason=LazyText(N_("A copy is listed twice.")))
        found = set(found_copy_ids)
        with self.ctx.change(Permission.RECORD) as change:
            register = {
                r.copy_id: r for r in inventory.snapshot(change.conn, end_of_day_utc(held_on))
            }
            unknown = sorted(found - set(register))
            if unknown:
                raise NotFound(what=LazyText(N_("copy")), ref=f"#{unknown[0]}")
            lines = []
            for row in register.values():
                if row.state in ACTIVE_STATES or row.copy_id in found:
                    note = f"{row.state.value}: {row.holder}"
                    lines.append(MusterLineRow(row.copy_id, row.copy_id in found, note))
            muster_id = inventory.insert_muster(
                change.conn,
                held_on=held_on.isoformat(),
                held_by=change.actor.username,
                created_at=change.at_utc,
                lines=lines,
            )
            result = self._result(muster_id, held_on, change.actor.username, lines, register)
            change.audit(
                "muster.recorded",
                "muster",
                muster_id,
                held_on=held_on.isoformat(),
                expected=result.expected,
                found=len(found),
                missing=[d.copy_id for d in result.missing],
                unexpected=[d.copy_id for d in result.unexpected],
            )
            return result

    def get_muster(self, muster_id: int) -> MusterResult:
        """A recorded muster with its discrepancies as they stood when it was recorded."""
        conn = self.ctx.read()
        row = inventory.get_muster(conn, muster_id)
        if row is None:
            raise NotFound(what=LazyText(N_("muster")), ref=f"#{muster_id}")
        held_on = date.fromisoformat(row.held_on)
        register = {r.copy_id: r for r in inventory.snapshot(conn, end_of_day_utc(held_on))}
        return self._result(row.id, held_on, row.held_by, list(row.lines), register)

    def _result(
        self,
        muster_id: int,
        held_on: date,
        held_by: str,
        lines: list[MusterLineRow],
        register: dict[int, SnapshotRow],
    ) -> MusterResult:
        discrepancies = []
        expected = 0
        for line in lines:
            row = register[line.copy_id]
            state_text, _, holder = line.note.partition(": ")
            recorded = CopyState(state_text)
            if recorded in ACTIVE_STATES:
                expected += 1
            if recorded in ACTIVE_STATES and not line.found:
                kind = MISSING
            elif recorded in NOT_HERE_STATES and line.found:
                kind = UNEXPECTED
            else:
                continue
            discrepancies.append(
                Discrepancy(
                    row.copy_id,
                    f"{row.copy_label} - {row.number_symbol}",
                    row.number_symbol,
                    row.level,
                    kind,
                    recorded,
                    holder,
                    line.found,
                )
            )
        return MusterResult(
            muster_id,
            held_on,
            held_by,
            expected,
            tuple(line.copy_id for line in lines if line.found),
            tuple(discrepancies),
        )
