"""Records an inspector asks for that other services do not keep: the follow-up of a leak
or loss (cause, handling, remedy) for part III of the yearly report (ND26 Art. 8)."""

from __future__ import annotations

from secretdesk.domain.roles import Permission
from secretdesk.domain.text import nfc
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import ServiceContext
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.storage import incidents, legal


class LegalRecordService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def follow_up(self, incident_id: int, *, cause: str, handling: str, remedy: str) -> None:
        cause, handling, remedy = (nfc(t).strip() for t in (cause, handling, remedy))
        if not (cause or handling or remedy):
            raise InvalidRequest(reason=LazyText(N_("Give the cause, the handling or the remedy.")))
        with self.ctx.change(Permission.RECORD) as change:
            incident = incidents.get_incident(change.conn, incident_id)
            if incident is None:
                raise NotFound(what=LazyText(N_("incident")), ref=f"#{incident_id}")
            if incident.kind not in ("leak", "loss"):
                raise InvalidRequest(
                    reason=LazyText(N_("Only a leak or a loss has a cause, handling and remedy."))
                )
            legal.set_followup(
                change.conn,
                incident_id,
                cause,
                handling,
                remedy,
                change.at_utc,
                change.actor.username,
            )
            change.audit(
                "incident.followed_up",
                "incident",
                incident_id,
                cause=cause,
                handling=handling,
                remedy=remedy,
            )
