"""The custody state machine of a copy (DOMAIN.md §4, rule 1 of §6).

At every moment each copy has exactly one state and one holder. A custody action moves it
from one state to another; everything not listed in ``TRANSITIONS`` is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from secretdesk.domain.errors import CustodyRefused
from secretdesk.i18n import N_, LazyText, translate


class CopyState(StrEnum):
    IN_STORAGE = "in_storage"  # đang lưu giữ
    ISSUED = "issued"  # giao cho cá nhân trong đơn vị
    OUT_OF_STORAGE = "out_of_storage"  # mang ra khỏi nơi lưu giữ
    IN_TRANSIT = "in_transit"  # đang chuyển giao
    DELIVERED = "delivered"  # đã giao (kết thúc tại đơn vị)
    RETURNED_TO_ISSUER = "returned_to_issuer"  # đã trả lại nơi phát hành
    DESTROYED = "destroyed"  # đã tiêu hủy
    DECLASSIFIED = "declassified"  # đã giải mật
    LOST_OR_LEAKED = "lost_or_leaked"  # bị mất, lộ

    def label(self, language: str | None = None) -> str:
        return translate(_STATE_LABELS[self], language)

    def text(self) -> LazyText:
        return LazyText(_STATE_LABELS[self])


_STATE_LABELS = {
    CopyState.IN_STORAGE: N_("in storage"),
    CopyState.ISSUED: N_("issued to a person"),
    CopyState.OUT_OF_STORAGE: N_("out of storage"),
    CopyState.IN_TRANSIT: N_("in transit"),
    CopyState.DELIVERED: N_("delivered"),
    CopyState.RETURNED_TO_ISSUER: N_("returned to issuer"),
    CopyState.DESTROYED: N_("destroyed"),
    CopyState.DECLASSIFIED: N_("declassified"),
    CopyState.LOST_OR_LEAKED: N_("lost or leaked"),
}


class CustodyAction(StrEnum):
    ISSUE = "issue"  # internal issue to a person
    RETURN = "return"  # the person returns it
    TAKE_OUT = "take_out"  # out of storage under a permit
    BRING_BACK = "bring_back"  # the permit is closed, the copy is back
    DISPATCH = "dispatch"  # handed to another body, receipt pending
    CONFIRM_DELIVERY = "confirm_delivery"  # the signed receipt came back
    RECALL_BACK = "recall_back"  # a recall item we sent comes back to us
    RETURN_TO_ISSUER = "return_to_issuer"  # a recall item we received goes back
    DESTROY = "destroy"  # after a council decision
    DESTROY_EMERGENCY = "destroy_emergency"  # by the holder, reported at once
    DECLASSIFY = "declassify"
    REPORT_LOST = "report_lost"  # loss or leak
    RECOVER = "recover"  # a lost copy found again

    def label(self, language: str | None = None) -> str:
        return translate(_ACTION_LABELS[self], language)

    def text(self) -> LazyText:
        return LazyText(_ACTION_LABELS[self])


_ACTION_LABELS = {
    CustodyAction.ISSUE: N_("issued"),
    CustodyAction.RETURN: N_("returned"),
    CustodyAction.TAKE_OUT: N_("taken out of storage"),
    CustodyAction.BRING_BACK: N_("brought back to storage"),
    CustodyAction.DISPATCH: N_("handed over"),
    CustodyAction.CONFIRM_DELIVERY: N_("confirmed as delivered"),
    CustodyAction.RECALL_BACK: N_("received back from recall"),
    CustodyAction.RETURN_TO_ISSUER: N_("returned to its issuer"),
    CustodyAction.DESTROY: N_("destroyed"),
    CustodyAction.DESTROY_EMERGENCY: N_("destroyed in an emergency"),
    CustodyAction.DECLASSIFY: N_("declassified"),
    CustodyAction.REPORT_LOST: N_("reported lost or leaked"),
    CustodyAction.RECOVER: N_("recovered"),
}

# What cannot be done, as the verb of a refusal ("it cannot be destroyed" / "không thể tiêu
# hủy"): the past-participle labels above read wrong there in Vietnamese ("không thể đã ...").
_REFUSED_ACTIONS = {
    CustodyAction.ISSUE: N_("be issued to a person"),
    CustodyAction.RETURN: N_("be returned"),
    CustodyAction.TAKE_OUT: N_("be taken out of storage"),
    CustodyAction.BRING_BACK: N_("be brought back to storage"),
    CustodyAction.DISPATCH: N_("be handed over"),
    CustodyAction.CONFIRM_DELIVERY: N_("be confirmed as delivered"),
    CustodyAction.RECALL_BACK: N_("be received back from recall"),
    CustodyAction.RETURN_TO_ISSUER: N_("be returned to its issuer"),
    CustodyAction.DESTROY: N_("be destroyed"),
    CustodyAction.DESTROY_EMERGENCY: N_("be destroyed in an emergency"),
    CustodyAction.DECLASSIFY: N_("be declassified"),
    CustodyAction.REPORT_LOST: N_("be reported lost or leaked"),
    CustodyAction.RECOVER: N_("be recorded as found again"),
}

S, A = CopyState, CustodyAction

TRANSITIONS: dict[tuple[CopyState, CustodyAction], CopyState] = {
    (S.IN_STORAGE, A.ISSUE): S.ISSUED,
    (S.ISSUED, A.RETURN): S.IN_STORAGE,
    (S.IN_STORAGE, A.TAKE_OUT): S.OUT_OF_STORAGE,
    (S.ISSUED, A.TAKE_OUT): S.OUT_OF_STORAGE,
    (S.OUT_OF_STORAGE, A.BRING_BACK): S.IN_STORAGE,
    (S.IN_STORAGE, A.DISPATCH): S.IN_TRANSIT,
    (S.ISSUED, A.DISPATCH): S.IN_TRANSIT,
    (S.IN_TRANSIT, A.CONFIRM_DELIVERY): S.DELIVERED,
    (S.IN_TRANSIT, A.RECALL_BACK): S.IN_STORAGE,
    (S.DELIVERED, A.RECALL_BACK): S.IN_STORAGE,
    (S.IN_STORAGE, A.RETURN_TO_ISSUER): S.RETURNED_TO_ISSUER,
    (S.ISSUED, A.RETURN_TO_ISSUER): S.RETURNED_TO_ISSUER,
    (S.IN_STORAGE, A.DESTROY): S.DESTROYED,
    (S.IN_STORAGE, A.DESTROY_EMERGENCY): S.DESTROYED,
    (S.ISSUED, A.DESTROY_EMERGENCY): S.DESTROYED,
    (S.OUT_OF_STORAGE, A.DESTROY_EMERGENCY): S.DESTROYED,
    (S.IN_STORAGE, A.DECLASSIFY): S.DECLASSIFIED,
    (S.ISSUED, A.DECLASSIFY): S.DECLASSIFIED,
    (S.OUT_OF_STORAGE, A.DECLASSIFY): S.DECLASSIFIED,
    (S.IN_STORAGE, A.REPORT_LOST): S.LOST_OR_LEAKED,
    (S.ISSUED, A.REPORT_LOST): S.LOST_OR_LEAKED,
    (S.OUT_OF_STORAGE, A.REPORT_LOST): S.LOST_OR_LEAKED,
    (S.IN_TRANSIT, A.REPORT_LOST): S.LOST_OR_LEAKED,
    (S.LOST_OR_LEAKED, A.RECOVER): S.IN_STORAGE,
}

# "In active custody": held by this unit, in storage, issued to a person inside it, or out of
# storage under a permit. The one definition: the inventory (--active), the muster (what must
# be found) and declassification (which copies become declassified) all use it.
ACTIVE_STATES = frozenset({S.IN_STORAGE, S.ISSUED, S.OUT_OF_STORAGE})
# Still on this unit's books: in active custody, or in transit until the receipt comes back
# (the unit answers for it until then). The copies the annual report counts as held.
ACCOUNTABLE_STATES = ACTIVE_STATES | {S.IN_TRANSIT}
# States in which this unit's custody of the copy has ended: every state not accountable.
CLOSED_STATES = frozenset(CopyState) - ACCOUNTABLE_STATES
# Rule 1: these copies cannot be handed over, copied or destroyed (again).
BLOCKED_STATES = frozenset(
    {S.DESTROYED, S.DECLASSIFIED, S.LOST_OR_LEAKED, S.IN_TRANSIT, S.OUT_OF_STORAGE}
)
COPYABLE_STATES = frozenset({S.IN_STORAGE, S.ISSUED})
HANDOVER_ACTIONS = frozenset({A.ISSUE, A.DISPATCH, A.RETURN_TO_ISSUER})
# Rule 1: a copy on an open handover cannot be handed over again or destroyed. The emergency
# destruction by the holder (DESTROY_EMERGENCY) is the accepted exception (DOMAIN.md §4: "in
# an emergency the holder may destroy at once and must report in writing immediately").
REFUSED_ON_OPEN_HANDOVER = frozenset({A.DESTROY, A.DISPATCH, A.ISSUE, A.RETURN_TO_ISSUER})


@dataclass(frozen=True)
class Custody:
    """Where a copy is: exactly one state and one holder (a person, a body or a store)."""

    state: CopyState
    holder: str

    def __post_init__(self) -> None:
        if not self.holder.strip():
            raise ValueError("a copy always has a holder")


def in_active_custody(state: CopyState) -> bool:
    """Held by this unit: in storage, issued to a person inside it, or out under a permit."""
    return state in ACTIVE_STATES


def next_state(state: CopyState, action: CustodyAction) -> CopyState | None:
    return TRANSITIONS.get((state, action))


def apply(
    custody: Custody,
    action: CustodyAction,
    holder: str,
    *,
    copy_label: str = "",
    item: str = "",
    on_open_handover: bool = False,
) -> Custody:
    """Return the custody after ``action``; raise CustodyRefused when the rules forbid it.

    The refusal names the copy and its item ("Bản số 2 of item 12/QĐ-UBND")."""
    target = next_state(custody.state, action)
    if target is None or (on_open_handover and action in REFUSED_ON_OPEN_HANDOVER):
        raise CustodyRefused(
            copy=copy_label or "?",
            item=item or "?",
            state=custody.state.text(),
            action=LazyText(_REFUSED_ACTIONS[action]),
        )
    return Custody(target, holder)


def ensure_copyable(custody: Custody, copy_label: str = "", item: str = "") -> None:
    """A reproduction may be made only from a copy in active custody here (rule 1)."""
    if custody.state not in COPYABLE_STATES:
        raise CustodyRefused(
            copy=copy_label or "?",
            item=item or "?",
            state=custody.state.text(),
            action=LazyText(N_("be copied")),
        )
