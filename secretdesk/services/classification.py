"""Classification changes: level change, extension, declassification, and expiry warnings.

- Level change (điều chỉnh độ mật): decided by the classifier; holders are notified within the
  notice period of the legal basis (15 days), kept as ``notify_by``. An item with a summary
  cannot become Tuyệt mật where the rule in force forbids that summary (rule 9).
- Extension (gia hạn): decided at least 60 days before expiry, at most one base period each
  time (``domain.protection.extend``); recipients notified by ``notify_by``.
- Declassification (giải mật): automatic at expiry, on removal from the list of secrets, or
  by a council and the head's decision, possibly partial. A whole declassification moves the
  copies in active custody (in storage, issued, out of storage) to declassified.
- Rule 7: ``expiring`` lists items expiring within 90 days and whose extension window closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from secretdesk.domain import dates
from secretdesk.domain.classification import (
    Declassification,
    DeclassificationKind,
    ExtensionDecision,
    LevelChange,
)
from secretdesk.domain.custody import ACTIVE_STATES, CustodyAction
from secretdesk.domain.errors import ExtensionRefused
from secretdesk.domain.items import Item, SummaryForbidden, check_summary_rule, search_text
from secretdesk.domain.legal import LegalBasis
from secretdesk.domain.levels import Level
from secretdesk.domain.protection import (
    WARN_DAYS,
    Extension,
    expiry_status,
    extend,
    protection_expiry,
)
from secretdesk.domain.roles import Actor, Permission
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.custody import move_copy
from secretdesk.services.errors import InvalidRequest
from secretdesk.services.items import item_expiry, load_item
from secretdesk.services.registry import basis_on, legal_bases
from secretdesk.storage import classification, items
from secretdesk.storage.sqlite import IntegrityError

# What may be asked for; "expiry" is automatic only.
DECLASSIFICATION_KINDS = (
    DeclassificationKind.LIST_REMOVAL.value,
    DeclassificationKind.COUNCIL.value,
)


@dataclass(frozen=True)
class Declassified:
    """A declassification and the copies it moved (none when partial)."""

    record: Declassification
    number_symbol: str
    copies: tuple[int, ...]

    def to_json(self) -> dict[str, Any]:
        """``level declassify --json`` (README "JSON output"): ``record`` the decision,
        ``number_symbol`` str, ``copies`` the ids of the copies marked declassified."""
        return {
            "record": self.record.to_json(),
            "number_symbol": self.number_symbol,
            "copies": list(self.copies),
        }


@dataclass(frozen=True)
class ExpiryWarning:
    """A line of the clerk's warning list (rule 7)."""

    item_id: int
    register_number: str
    number_symbol: str
    level: Level
    expiry: date
    days_left: int  # negative once expired
    expired: bool
    extension_deadline: date  # last day an extension can be decided
    extension_window_closing: bool  # expiring soon and an extension can still be decided


@dataclass(frozen=True)
class ClassificationHistory:
    level_changes: tuple[LevelChange, ...]
    extensions: tuple[ExtensionDecision, ...]
    declassifications: tuple[Declassification, ...]


class ClassificationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def change_level(
        self,
        item_id: int,
        new_level: Level,
        *,
        decided_on: date,
        decided_by: str,
        reason: str = "",
    ) -> LevelChange:
        """Record the classifier's decision and set the item's level."""
        decided_by, reason = decided_by.strip(), reason.strip()
        if not decided_by:
            raise InvalidRequest(reason=LazyText(N_("Name the classifier who decided the change.")))
        self._not_future(decided_on)
        with self.ctx.change(Permission.RECORD) as change:
            item = self._protected(change, item_id, decided_on)
            if new_level is item.level:
                raise InvalidRequest(
                    reason=LazyText(
                        N_("Item {item} is already {level}."),
                        item=item.number_symbol,
                        level=item.level.label_vi,
                    )
                )
            if new_level is Level.TUYET_MAT:
                self._check_summary(change, item)
            try:
                items.set_level(change.conn, item.id, new_level, _search_text(item, new_level))
            except IntegrityError as error:
                if "tuyet-mat summary" in str(error):
                    bases = {b.code: b for b in legal_bases()}
                    raise _summary_refusal(item, bases[item.legal_basis]) from error
                raise
            basis = basis_on(decided_on)
            notify_by = decided_on + timedelta(days=basis.notify_days)
            change_id = classification.insert_level_change(
                change.conn,
                item_id=item.id,
                old_level=item.level.value,
                new_level=new_level.value,
                decided_on=decided_on.isoformat(),
                decided_by=decided_by,
                reason=reason,
                notify_by=notify_by.isoformat(),
                created_at=change.at_utc,
            )
            change.audit(
                "item.level_changed",
                "item",
                item.id,
                decided_on=decided_on.isoformat(),
                decided_by=decided_by,
                reason=reason,
                notify_by=notify_by.isoformat(),
                before={"level": item.level.value},
                after={"level": new_level.value},
            )
            row = classification.get_level_change(change.conn, change_id)
            assert row is not None
            return row

    def _check_summary(self, change: Change, item: Item) -> None:
        """Rule 9: the summary rule of the legal basis in force today."""
        basis = basis_on(self.ctx.today())
        consent = classification.summary_consent(change.conn, item.id)
        try:
            check_summary_rule(Level.TUYET_MAT, item.summary or "", consent, basis)
        except SummaryForbidden as error:
            raise _summary_refusal(item, basis) from error

    def extend(
        self, item_id: int, years: int, *, decided_on: date, decided_by: str
    ) -> ExtensionDecision:
        """Gia hạn: at least 60 days before expiry, at most the level's base period."""
        decided_by = decided_by.strip()
        if not decided_by:
            raise InvalidRequest(reason=LazyText(N_("Name who decided the extension.")))
        self._not_future(decided_on)
        with self.ctx.change(Permission.RECORD) as change:
            item = self._protected(change, item_id, decided_on)
            previous = classification.extensions_of(change.conn, item.id)
            if previous and decided_on < previous[-1].decided_on:
                raise InvalidRequest(
                    reason=LazyText(
                        N_("An extension was already decided on {date}; record them in order."),
                        date=dates.day(previous[-1].decided_on),
                    )
                )
            expiry = item_expiry(item, previous)
            try:
                new_expiry = extend(item.level, expiry, Extension(decided_on, years))
            except ExtensionRefused as refused:
                article = basis_on(decided_on).cite("extension_decision_days_before_expiry")
                raise ExtensionRefused(
                    reason=refused.params["reason"],
                    article=LazyText(N_(" ({article})"), article=article),
                ) from refused
            notify_by = decided_on + timedelta(days=basis_on(decided_on).notify_days)
            extension_id = classification.insert_extension(
                change.conn,
                item_id=item.id,
                decided_on=decided_on.isoformat(),
                years=years,
                decided_by=decided_by,
                new_expiry=new_expiry.isoformat(),
                notify_by=notify_by.isoformat(),
                created_at=change.at_utc,
            )
            change.audit(
                "item.extended",
                "item",
                item.id,
                years=years,
                decided_on=decided_on.isoformat(),
                decided_by=decided_by,
                notify_by=notify_by.isoformat(),
                before={"expiry": expiry.isoformat()},
                after={"expiry": new_expiry.isoformat()},
            )
            row = classification.get_extension(change.conn, extension_id)
            assert row is not None
            return row

    def declassify(
        self,
        item_id: int,
        kind: str,
        *,
        decided_on: date | None = None,
        decided_by: str = "",
        partial: bool = False,
        scope: str = "",
        approver: Actor | None = None,
    ) -> Declassified:
        """Giải mật on removal from the list, or by a council and a countersigned approver.

        A partial declassification records its scope and leaves the copies as they are.
        """
        if kind not in DECLASSIFICATION_KINDS:
            raise InvalidRequest(
                reason=LazyText(N_("Unknown kind of declassification: {kind}."), kind=kind)
            )
        scope = scope.strip()
        if partial and not scope:
            raise InvalidRequest(
                reason=LazyText(N_("A partial declassification says which parts it covers."))
            )
        if kind == DeclassificationKind.COUNCIL and approver is None:
            raise InvalidRequest(
                reason=LazyText(N_("A council declassification needs the approver's decision."))
            )
        decided_on = decided_on or self.ctx.today()
        self._not_future(decided_on)
        with self.ctx.change(Permission.RECORD) as change:
            item = self._protected(change, item_id, decided_on)
            if approver is not None:
                approver.require_approval_of(item.level, change.actor.username)
            by = decided_by.strip() or (
                (approver.full_name or approver.username) if approver else change.actor.username
            )
            return self._declassify(
                change, item, kind, decided_on, by, partial=partial, scope=scope
            )

    def declassify_expired(self, today: date | None = None) -> list[Declassified]:
        """Automatic declassification of every item whose protection period has ended."""
        today = today or self.ctx.today()
        with self.ctx.change(Permission.RECORD) as change:
            done = []
            for protected in classification.protected_items(change.conn):
                expiry = _expiry(protected)
                if today < expiry:
                    continue
                item = load_item(change, protected.item_id)
                done.append(
                    self._declassify(
                        change,
                        item,
                        DeclassificationKind.EXPIRY,
                        expiry,
                        change.actor.username,
                        partial=False,
                    )
                )
            return done

    def _declassify(
        self,
        change: Change,
        item: Item,
        kind: str,
        decided_on: date,
        decided_by: str,
        *,
        partial: bool,
        scope: str = "",
    ) -> Declassified:
        declass_id = classification.insert_declassification(
            change.conn,
            item_id=item.id,
            kind=kind,
            decided_on=decided_on.isoformat(),
            decided_by=decided_by,
            partial=int(partial),
            scope=scope,
            created_at=change.at_utc,
        )
        moved = []
        if not partial:
            for copy in items.copies_of(change.conn, item.id):
                if copy.state in ACTIVE_STATES:
                    moved.append(
                        move_copy(
                            change,
                            copy,
                            CustodyAction.DECLASSIFY,
                            copy.holder,
                            reference=f"declassification #{declass_id}",
                        )
                    )
        change.audit(
            "item.declassified",
            "item",
            item.id,
            kind=kind,
            decided_on=decided_on.isoformat(),
            decided_by=decided_by,
            partial=partial,
            scope=scope,
            copies=moved,
            before={"declassified": False},
            after={"declassified": "partly" if partial else True},
        )
        row = classification.get_declassification(change.conn, declass_id)
        assert row is not None
        return Declassified(row, item.number_symbol, tuple(int(str(m["copy"])) for m in moved))

    # -- reading ---------------------------------------------------------------------------
    def expiring(self, today: date | None = None) -> list[ExpiryWarning]:
        """Rule 7: items expiring within 90 days (or expired and not yet declassified), with
        whether the 60-day extension window is closing, soonest first."""
        today = today or self.ctx.today()
        warnings = []
        horizon = (today + timedelta(days=WARN_DAYS)).isoformat()
        for protected in classification.protected_items(self.ctx.read(), horizon):
            if not self.ctx.actor.may_see(protected.level):
                continue  # above the reader's clearance
            status = expiry_status(_expiry(protected), today)
            if not (status.expired or status.expiring_soon):
                continue
            warnings.append(
                ExpiryWarning(
                    item_id=protected.item_id,
                    register_number=protected.register_number,
                    number_symbol=protected.number_symbol,
                    level=protected.level,
                    expiry=status.expiry,
                    days_left=(status.expiry - today).days,
                    expired=status.expired,
                    extension_deadline=status.extension_deadline,
                    extension_window_closing=status.extension_window_closing,
                )
            )
        return sorted(warnings, key=lambda w: (w.expiry, w.item_id))

    def history(self, item_id: int) -> ClassificationHistory:
        conn = self.ctx.read()
        load_item(conn, item_id)
        return ClassificationHistory(
            tuple(classification.level_changes_of(conn, item_id)),
            tuple(classification.extension_rows_of(conn, item_id)),
            tuple(classification.declassifications_of(conn, item_id)),
        )

    # -- helpers ---------------------------------------------------------------------------
    def _protected(self, change: Change, item_id: int, decided_on: date | None = None) -> Item:
        item = load_item(change, item_id)
        if decided_on is not None and decided_on < date.fromisoformat(item.classified_on):
            raise InvalidRequest(
                reason=LazyText(
                    N_(
                        "Item {item} was classified on {classified}: a decision about it cannot"
                        " be dated before that ({date})."
                    ),
                    item=item.number_symbol,
                    classified=dates.day(item.classified_on),
                    date=dates.day(decided_on),
                )
            )
        if classification.fully_declassified(change.conn, item.id):
            raise InvalidRequest(
                reason=LazyText(N_("Item {item} has been declassified."), item=item.number_symbol)
            )
        return item

    def _not_future(self, day: date) -> None:
        if day > self.ctx.today():
            raise InvalidRequest(reason=LazyText(N_("The decision date is in the future.")))


def _expiry(protected: classification.ProtectedItem) -> date:
    shorter = date.fromisoformat(protected.shorter_until) if protected.shorter_until else None
    return protection_expiry(
        protected.level,
        date.fromisoformat(protected.classified_on),
        protected.extensions,
        shorter,
    )


def _summary_refusal(item: Item, basis: LegalBasis) -> InvalidRequest:
    return InvalidRequest(
        reason=LazyText(
            N_(
                "Item {item} cannot become Tuyệt mật: it has a summary (trích yếu),"
                " which {basis} does not allow for a Tuyệt mật item ({article})."
            ),
            item=item.number_symbol,
            basis=basis.title,
            article=basis.cite("tuyet_mat_summary"),
        )
    )


def _search_text(item: Item, level: Level) -> str:
    """Only the register's own fields: notes kept from an import are dropped on a change."""
    return search_text(
        number_symbol=item.number_symbol,
        doc_type=item.doc_type,
        issuer=item.issuer,
        summary=item.summary or "",
        recipients=item.recipients,
        named_addressee=item.named_addressee or "",
        drafter=item.drafter,
        level=level,
    )
