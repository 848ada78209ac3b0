"""Registering items, their original copies, searching and showing the register."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from secretdesk.domain.copies import Copy as Copy
from secretdesk.domain.custody import CopyState, Custody
from secretdesk.domain.items import Item as Item
from secretdesk.domain.items import Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.protection import ExpiryStatus, expiry_status, protection_expiry
from secretdesk.domain.roles import Actor, Permission
from secretdesk.domain.text import fold
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.custody import open_entry
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.services.registry import basis_on
from secretdesk.storage import classification, items, legal

# Re-exported: the front ends type their rows with these (they never import storage).
from secretdesk.storage.legal import ItemLegalRow
from secretdesk.storage.sqlite import IntegrityError

DEFAULT_STORE = "Kho lưu trữ"


class NotCleared(SecretDeskError):
    code = "auth.not_cleared"
    message = N_("{user} is not cleared to see {level} records.")


def visible_levels(actor: Actor) -> tuple[Level, ...] | None:
    """The levels ``actor`` may see, or None when they may see every level."""
    if not actor.hidden_levels():
        return None
    return tuple(level for level in Level if actor.may_see(level))


@dataclass(frozen=True)
class ItemDetails:
    item: Item
    copies: list[Copy]
    expiry: ExpiryStatus
    legal: ItemLegalRow


def load_item(change_or_conn: Any, item_id: int) -> Item:
    conn = getattr(change_or_conn, "conn", change_or_conn)
    item = items.get_item(conn, item_id)
    if item is None:
        raise NotFound(what=LazyText(N_("item")), ref=f"#{item_id}")
    return item


def load_copy(change_or_conn: Any, copy_id: int) -> Copy:
    conn = getattr(change_or_conn, "conn", change_or_conn)
    copy = items.get_copy(conn, copy_id)
    if copy is None:
        raise NotFound(what=LazyText(N_("copy")), ref=f"#{copy_id}")
    return copy


def item_expiry(item: Item, extensions: list[Any] | None = None) -> date:
    shorter = date.fromisoformat(item.shorter_until) if item.shorter_until else None
    return protection_expiry(
        item.level, date.fromisoformat(item.classified_on), extensions or (), shorter
    )


class ItemService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def register(self, registration: Registration) -> Item:
        """One register entry, the item, and its original copies "Bản số 1..N" in storage."""
        with self.ctx.change(Permission.RECORD) as change:
            return self.register_in(change, registration)

    def register_in(self, change: Change, registration: Registration) -> Item:
        """Register inside a change that is already open (e.g. finalising a draft)."""
        reg = registration.normalised()
        today = self.ctx.today()
        basis = basis_on(today)
        reg.validate(basis, today)
        item_id = self._insert(change, reg, basis.code, today)
        item = load_item(change, item_id)
        change.audit(
            "item.registered",
            "item",
            item_id,
            register=f"{item.book_kind} {item.number}/{item.year}",
            level=reg.level.value,
            copies=reg.copies,
            number_symbol=reg.number_symbol,
        )
        return item

    def _insert(self, change: Change, reg: Registration, basis: str, today: date) -> int:
        entry = open_entry(change, reg.direction.value, today)
        try:
            item_id = items.insert_item(
                change.conn,
                reg,
                entry_id=entry.id,
                legal_basis=basis,
                classified_on=(reg.classified_on or reg.doc_date).isoformat(),
                created_at=change.at_utc,
            )
        except IntegrityError as error:
            if "tuyet-mat summary" in str(error):
                raise InvalidRequest(
                    reason=LazyText(N_("The database refused the Tuyệt mật summary."))
                ) from error
            raise
        consented = reg.summary_consent and bool(reg.summary) and reg.level is Level.TUYET_MAT
        legal.insert_item_legal(
            change.conn,
            item_id,
            summary_consent_by=reg.consenter if consented else "",
            summary_consent_on=(reg.summary_consent_on or today).isoformat() if consented else None,
            list_decision=reg.list_decision,
            list_entry=reg.list_entry,
            file_copy_holder=reg.file_copy_holder,
        )
        holder = reg.storage_location or DEFAULT_STORE
        for number in range(1, reg.copies + 1):
            items.insert_copy(
                change.conn,
                item_id=item_id,
                kind="original",
                number=number,
                custody=Custody(CopyState.IN_STORAGE, holder),
                created_at=change.at_utc,
                actor=change.actor.username,
                reference=f"entry {entry.number}/{entry.year}",
            )
        return item_id

    def register_many(self, registrations: list[Registration], source: str) -> list[int]:
        """All or nothing, in one transaction (used by the spreadsheet import)."""
        today = self.ctx.today()
        basis = basis_on(today)
        prepared = [r.normalised() for r in registrations]
        for reg in prepared:
            reg.validate(basis, today)
        with self.ctx.change(Permission.RECORD) as change:
            ids = [self._insert(change, reg, basis.code, today) for reg in prepared]
            change.audit(
                "item.imported",
                "item",
                None,
                source=source,
                count=len(ids),
                first=ids[0] if ids else None,
                last=ids[-1] if ids else None,
            )
            return ids

    def search(
        self,
        text: str = "",
        *,
        kind: str | None = None,
        year: int | None = None,
        level: Level | None = None,
        limit: int = 200,
        after: Item | None = None,
    ) -> list[Item]:
        """Case- and accent-insensitive: "tuyet mat" finds "Tuyệt mật".

        Without text the register's order; with text the newest matches first. ``after`` is
        the last row of the previous page. Items above the actor's clearance are left out
        (``hidden_count`` says how many).
        """
        return items.list_items(
            self.ctx.read(),
            folded_words=fold(text).split(),
            kind=kind,
            year=year,
            level=level,
            limit=limit,
            after=after,
            levels=visible_levels(self.ctx.actor),
        )

    def hidden_count(
        self,
        text: str = "",
        *,
        kind: str | None = None,
        year: int | None = None,
        level: Level | None = None,
    ) -> int:
        """How many items the same search finds above the actor's clearance."""
        hidden = self.ctx.actor.hidden_levels()
        if not hidden:
            return 0
        return items.count_items(
            self.ctx.read(),
            folded_words=fold(text).split(),
            kind=kind,
            year=year,
            level=level,
            levels=hidden,
        )

    def _cleared(self, item: Item) -> Item:
        """The item, or a refusal (audited) when it is above the reader's clearance."""
        if not self.ctx.actor.may_see(item.level):
            with self.ctx.change(Permission.READ) as change:
                change.audit("item.view_refused", "item", item.id, level=item.level.value)
            raise NotCleared(user=self.ctx.actor.username, level=item.level.label_vi)
        return item

    def show(self, item_id: int) -> ItemDetails:
        """Viewing a Tuyệt mật item is itself recorded in the audit log."""
        conn = self.ctx.read()
        item = self._cleared(load_item(conn, item_id))
        if item.level is Level.TUYET_MAT:
            with self.ctx.change(Permission.READ) as change:
                change.audit("item.viewed", "item", item_id, level=item.level.value)
        extensions = classification.extensions_of(conn, item_id)
        return ItemDetails(
            item=item,
            copies=items.copies_of(conn, item_id),
            expiry=expiry_status(item_expiry(item, extensions), self.ctx.today()),
            legal=legal.item_legal(conn, item_id),
        )

    def get(self, item_id: int) -> Item:
        """One entry as a list shows it (no audit event, as for ``search``); an entry above
        the reader's clearance is refused as ``show`` refuses it."""
        return self._cleared(load_item(self.ctx.read(), item_id))

    def entries(self, item_ids: Iterable[int]) -> dict[int, tuple[str, int, int]]:
        """Each item's register entry (book, number, year), to name it in a list such as the
        audit log the way the clerk knows it. A register number shows no content, so neither
        the reader's clearance nor an audit event is concerned; an unknown id is left out."""
        return items.register_entries(self.ctx.read(), sorted(set(item_ids)))

    def copies(self, item_id: int) -> list[Copy]:
        """An item's copies, read only (no audit event: picking copies shows no content)."""
        self.get(item_id)
        return items.copies_of(self.ctx.read(), item_id)

    def custody_history(self, item_id: int) -> list[tuple[Copy, list[dict[str, Any]]]]:
        """Every copy of an item with its custody events, oldest first (read only)."""
        self.get(item_id)
        conn = self.ctx.read()
        return [
            (copy, items.custody_history(conn, copy.id)) for copy in items.copies_of(conn, item_id)
        ]

    def confirm_opened(self, item_id: int, person: str) -> Item:
        """Rule 6: only the named addressee opens the envelope; until then it shows unopened."""
        with self.ctx.change(Permission.RECORD) as change:
            item = load_item(change, item_id)
            if not item.named_addressee:
                raise InvalidRequest(reason=LazyText(N_("This item has no named addressee.")))
            if fold(person) != fold(item.named_addressee):
                raise InvalidRequest(
                    reason=LazyText(
                        N_("Only {name} may open this envelope."), name=item.named_addressee
                    )
                )
            if item.addressee_opened_at:
                raise InvalidRequest(reason=LazyText(N_("The envelope was already opened.")))
            items.mark_opened(change.conn, item_id, change.at_utc)
            change.audit("item.opened_by_addressee", "item", item_id, person=person)
            return load_item(change, item_id)
