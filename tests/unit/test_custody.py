"""The custody state machine: allowed transitions only, rule 1 of DOMAIN.md §6."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secretdesk.domain.custody import (
    BLOCKED_STATES,
    TRANSITIONS,
    CopyState,
    Custody,
    CustodyAction,
    apply,
    ensure_copyable,
)
from secretdesk.domain.errors import CustodyRefused

A, S = CustodyAction, CopyState


def test_a_copy_always_has_a_holder() -> None:
    with pytest.raises(ValueError):
        Custody(S.IN_STORAGE, " ")


@pytest.mark.parametrize("state", sorted(BLOCKED_STATES))
@pytest.mark.parametrize("action", [A.DISPATCH, A.ISSUE, A.DESTROY])
def test_rule1_blocked_states_cannot_be_handed_over_or_destroyed(
    state: CopyState, action: CustodyAction
) -> None:
    with pytest.raises(CustodyRefused):
        apply(Custody(state, "someone"), action, "other")


@pytest.mark.parametrize("state", sorted(BLOCKED_STATES))
def test_rule1_blocked_states_cannot_be_copied(state: CopyState) -> None:
    with pytest.raises(CustodyRefused):
        ensure_copyable(Custody(state, "someone"))


def test_copy_on_open_handover_cannot_be_destroyed() -> None:
    with pytest.raises(CustodyRefused):
        apply(Custody(S.IN_STORAGE, "kho"), A.DESTROY, "council", on_open_handover=True)


def test_typical_life_of_a_copy() -> None:
    custody = Custody(S.IN_STORAGE, "Kho văn thư")
    custody = apply(custody, A.ISSUE, "Trần Văn B")
    assert custody == Custody(S.ISSUED, "Trần Văn B")
    custody = apply(custody, A.RETURN, "Kho văn thư")
    custody = apply(custody, A.DISPATCH, "UBND tỉnh")
    custody = apply(custody, A.CONFIRM_DELIVERY, "UBND tỉnh")
    assert custody.state is S.DELIVERED
    with pytest.raises(CustodyRefused, match="delivered"):
        apply(custody, A.DESTROY, "council")


def test_emergency_destruction_is_allowed_for_the_holder_out_of_storage() -> None:
    custody = apply(Custody(S.OUT_OF_STORAGE, "B"), A.DESTROY_EMERGENCY, "B")
    assert custody.state is S.DESTROYED


def test_refusal_message_in_vietnamese() -> None:
    from secretdesk import i18n

    i18n.set_language("vi")
    with pytest.raises(CustodyRefused) as caught:
        apply(Custody(S.DESTROYED, "hội đồng"), A.DISPATCH, "x", copy_label="Bản số 2")
    assert "Bản số 2" in caught.value.render("vi")
    assert "đã tiêu hủy" in caught.value.render("vi")


TERMINAL = {S.DESTROYED, S.DECLASSIFIED, S.RETURNED_TO_ISSUER}


@given(st.lists(st.tuples(st.sampled_from(list(A)), st.text(min_size=1, max_size=5)), max_size=60))
def test_no_sequence_reaches_a_forbidden_state(steps: list[tuple[CustodyAction, str]]) -> None:
    custody = Custody(S.IN_STORAGE, "kho")
    for action, holder in steps:
        holder = holder if holder.strip() else "x"
        before = custody
        allowed = (before.state, action) in TRANSITIONS
        try:
            custody = apply(custody, action, holder)
        except CustodyRefused:
            assert not allowed
            assert custody == before  # a refusal changes nothing
            continue
        assert allowed
        assert isinstance(custody.state, CopyState) and custody.holder.strip()
        # nothing comes back from destruction, declassification or return to issuer
        assert before.state not in TERMINAL
        # rule 1: copies in blocked states were never handed over or destroyed
        if action in (A.DISPATCH, A.ISSUE, A.DESTROY):
            assert before.state not in BLOCKED_STATES
