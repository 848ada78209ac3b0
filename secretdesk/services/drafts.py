"""Drafts (dự thảo): managed like secrets from the first line, destroyed when not needed.

Each draft version takes the next number of the year's drafts register and records who
drafted it, when, on which computer and at what proposed level. A new version supersedes
the previous one; finalising a draft registers the outgoing item in the same transaction.
"""

from __future__ import annotations

import builtins
from dataclasses import replace

from secretdesk.domain.drafts import DRAFT_TRANSITIONS, DraftStep
from secretdesk.domain.drafts import Draft as Draft
from secretdesk.domain.items import Direction, Item, Origin, Registration
from secretdesk.domain.legal import SummaryRule
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.custody import open_entry
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.services.items import ItemService
from secretdesk.services.registry import basis_on
from secretdesk.storage import drafts
from secretdesk.system.host import computer_name

DESTROYABLE = tuple(s for (s, step) in DRAFT_TRANSITIONS if step is DraftStep.DESTROY)
WITHHELD_TITLE = "(Dự thảo Tuyệt mật - không ghi trích yếu)"
STATUS_LABELS = {
    "working": N_("working"),
    "superseded": N_("superseded"),
    "finalised": N_("finalised"),
    "destroyed": N_("destroyed"),
}


class DraftService:
    def __init__(self, ctx: ServiceContext, items: ItemService) -> None:
        self.ctx = ctx
        self.items = items  # a finalised draft is registered as an outgoing item

    def add(
        self,
        title: str,
        proposed_level: Level,
        *,
        drafter: str = "",
        computer: str = "",
        supersedes: Draft | None = None,
    ) -> Draft:
        if not title.strip():
            raise InvalidRequest(reason=LazyText(N_("A draft needs a title.")))
        with self.ctx.change(Permission.RECORD) as change:
            return self._add(change, title, proposed_level, drafter, computer, supersedes)

    def _add(
        self,
        change: Change,
        title: str,
        level: Level,
        drafter: str,
        computer: str,
        supersedes: Draft | None,
    ) -> Draft:
        entry = open_entry(change, "drafts", self.ctx.today())
        draft_id = drafts.insert(
            change.conn,
            entry_id=entry.id,
            title=self._title_for(level, title),
            version=supersedes.version + 1 if supersedes else 1,
            drafter=(drafter or self.ctx.actor.full_name or self.ctx.actor.username).strip(),
            drafted_on=self.ctx.today().isoformat(),
            computer=computer or computer_name(),
            proposed_level=level.value,
            supersedes_id=supersedes.id if supersedes else None,
            created_at=change.at_utc,
        )
        draft = self._load(change, draft_id)
        change.audit(
            "draft.added",
            "draft",
            draft_id,
            number=draft.label,
            version=draft.version,
            level=level.value,
            computer=draft.computer,
            supersedes=supersedes.label if supersedes else None,
        )
        return draft

    def _title_for(self, level: Level, title: str) -> str:
        """A draft's title says what it is about: for Tuyệt mật it is withheld like a summary
        unless the legal basis in force allows recording one (rule 9)."""
        rule = basis_on(self.ctx.today()).tuyet_mat_summary
        if level is Level.TUYET_MAT and rule is not SummaryRule.ALLOWED:
            return WITHHELD_TITLE
        return title.strip()

    def _load(self, change_or_ctx: Change | None, draft_id: int) -> Draft:
        conn = change_or_ctx.conn if change_or_ctx else self.ctx.read()
        draft = drafts.get(conn, draft_id)
        if draft is None:
            raise NotFound(what=LazyText(N_("draft")), ref=f"#{draft_id}")
        return draft

    def _working(self, change: Change, draft_id: int) -> Draft:
        draft = self._load(change, draft_id)
        if draft.status != "working":
            raise InvalidRequest(
                reason=LazyText(
                    N_("Draft {number} is {status}, not a working draft."),
                    number=draft.label,
                    status=LazyText(STATUS_LABELS[draft.status]),
                )
            )
        return draft

    def supersede(
        self,
        draft_id: int,
        *,
        title: str = "",
        level: Level | None = None,
        drafter: str = "",
        computer: str = "",
    ) -> Draft:
        """A new version replaces a working draft; the old one waits to be destroyed."""
        with self.ctx.change(Permission.RECORD) as change:
            old = self._working(change, draft_id)
            drafts.set_status(change.conn, old.id, "superseded")
            change.audit(
                "draft.superseded",
                "draft",
                old.id,
                number=old.label,
                before={"status": "working"},
                after={"status": "superseded"},
            )
            return self._add(
                change,
                title or old.title,
                level or old.proposed_level,
                drafter or old.drafter,
                computer,
                old,
            )

    def finalise(self, draft_id: int, registration: Registration) -> Item:
        """The draft becomes an outgoing item, registered in the same transaction."""
        with self.ctx.change(Permission.RECORD) as change:
            draft = self._working(change, draft_id)
            reg = replace(
                registration,
                direction=Direction.OUTGOING,
                origin=Origin.DRAFTED,
                drafter=registration.drafter or draft.drafter,
            )
            item = self.items.register_in(change, reg)
            drafts.set_status(change.conn, draft.id, "finalised", item.id)
            change.audit(
                "draft.finalised",
                "draft",
                draft.id,
                number=draft.label,
                item=item.id,
                register=f"outgoing {item.number}/{item.year}",
                before={"status": "working"},
                after={"status": "finalised"},
            )
            return item

    def destroy(self, draft_id: int, method: str) -> Draft:
        if not method.strip():
            raise InvalidRequest(reason=LazyText(N_("Say how the draft was destroyed.")))
        with self.ctx.change(Permission.RECORD) as change:
            draft = self._load(change, draft_id)
            if draft.status not in DESTROYABLE:
                raise InvalidRequest(
                    reason=LazyText(N_("Draft {number} is already destroyed."), number=draft.label)
                )
            drafts.set_status(change.conn, draft.id, "destroyed")
            change.audit(
                "draft.destroyed",
                "draft",
                draft.id,
                number=draft.label,
                method=method.strip(),
                before={"status": draft.status},
                after={"status": "destroyed"},
            )
            return self._load(change, draft.id)

    def list(self, status: str | None = None) -> builtins.list[Draft]:
        """Drafts proposed above the actor's clearance are left out."""
        return [
            row
            for row in drafts.all_drafts(self.ctx.read(), status)
            if self.ctx.actor.may_see(row.proposed_level)
        ]

    def get(self, draft_id: int) -> Draft:
        return self._load(None, draft_id)
