"""Incidents: loss, leak, and signs of tampering on an envelope, reported at once to the head.

The loss or leak of a copy moves it to "lost or leaked"; a copy found again is recovered
into storage. A tampering report records what was seen without changing custody.
"""

from __future__ import annotations

from datetime import date, datetime

from secretdesk.domain import chronology
from secretdesk.domain.copies import Copy
from secretdesk.domain.custody import CustodyAction
from secretdesk.domain.incidents import Incident, IncidentKind
from secretdesk.domain.roles import Permission
from secretdesk.i18n import N_, LazyText, label
from secretdesk.services.context import ServiceContext
from secretdesk.services.custody import move_copy
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.services.items import DEFAULT_STORE, load_copy, load_item
from secretdesk.services.permits import local_time
from secretdesk.storage import incidents

KINDS = tuple(kind.value for kind in IncidentKind)
KIND_LABELS = {
    "loss": N_("loss"),
    "leak": N_("leak"),
    "tampering": N_("tampering"),
}


def kind_label(kind: str) -> LazyText | str:
    return label(KIND_LABELS, kind)


class IncidentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def report(
        self,
        kind: IncidentKind | str,
        description: str,
        *,
        reported_to: str,
        copy_id: int | None = None,
        occurred_at: datetime | date | None = None,
        reported_by: str = "",
    ) -> Incident:
        """Record an incident and who reported it to whom; a lost or leaked copy is marked so."""
        description, reported_to = description.strip(), reported_to.strip()
        if kind not in KINDS:
            raise InvalidRequest(
                reason=LazyText(N_("Unknown kind of incident: {kind}."), kind=kind)
            )
        kind = IncidentKind(kind)
        if not description:
            raise InvalidRequest(reason=LazyText(N_("Describe what happened.")))
        if not reported_to:
            raise InvalidRequest(
                reason=LazyText(N_("Name the head (or deputy) the incident was reported to."))
            )
        if kind is IncidentKind.LOSS and copy_id is None:
            raise InvalidRequest(reason=LazyText(N_("Say which copy was lost.")))
        when = occurred_at or local_time(self.ctx.clock.now())
        if chronology.is_future(when, self.ctx.clock.now()):
            raise InvalidRequest(
                reason=LazyText(
                    N_("The incident time ({at}) is in the future."), at=chronology.shown(when)
                )
            )
        with self.ctx.change(Permission.RECORD) as change:
            reporter = reported_by.strip() or change.actor.full_name or change.actor.username
            moved = []
            copy = load_copy(change, copy_id) if copy_id is not None else None
            if copy is not None:
                item = load_item(change, copy.item_id)
                if chronology.is_before(when, item.doc_date):
                    raise InvalidRequest(
                        reason=LazyText(
                            N_(
                                "Item {item} is dated {date}: nothing can have happened to"
                                " {copy} before that ({at})."
                            ),
                            item=item.number_symbol,
                            date=chronology.shown(item.doc_date),
                            copy=copy.label,
                            at=chronology.shown(when),
                        )
                    )
            incident_id = incidents.insert_incident(
                change.conn,
                kind=kind,
                copy_id=copy_id,
                description=description,
                occurred_at=chronology.stored(when),
                reported_by=reporter,
                reported_to=reported_to,
                created_at=change.at_utc,
            )
            if copy is not None and kind.loses_the_copy:
                moved.append(
                    move_copy(
                        change,
                        copy,
                        CustodyAction.REPORT_LOST,
                        copy.holder,
                        reference=f"incident #{incident_id}",
                    )
                )
            change.audit(
                "incident.reported",
                "incident",
                incident_id,
                kind=kind,
                copy=copy.label if copy else None,
                copy_id=copy_id,
                description=description,
                reported_by=reporter,
                reported_to=reported_to,
                copies=moved,
                flagged_for_head=True,
            )
            row = incidents.get_incident(change.conn, incident_id)
            assert row is not None
            return row

    def recover(self, copy_id: int, note: str = "") -> Copy:
        """A lost copy was found again: back into storage."""
        with self.ctx.change(Permission.RECORD) as change:
            copy = load_copy(change, copy_id)
            item = load_item(change, copy.item_id)
            step = move_copy(
                change,
                copy,
                CustodyAction.RECOVER,
                item.storage_location or DEFAULT_STORE,
                reference=note.strip() or "recovered",
            )
            change.audit(
                "incident.recovered",
                "copy",
                copy.id,
                label=copy.label,
                item=item.number_symbol,
                note=note.strip(),
                before=step["before"],
                after=step["after"],
            )
            return load_copy(change, copy.id)

    def get(self, incident_id: int) -> Incident:
        row = incidents.get_incident(self.ctx.read(), incident_id)
        if row is None:
            raise NotFound(what=LazyText(N_("incident")), ref=f"#{incident_id}")
        return row

    def list(self, *, copy_id: int | None = None, kind: str | None = None) -> list[Incident]:
        return incidents.incidents(self.ctx.read(), copy_id=copy_id, kind=kind)
