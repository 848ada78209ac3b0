"""Attacks on the withdrawal of a destruction case (issue 17): what a withdrawn case still
reads as on paper and in the other places its status is shown."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.domain.errors import CustodyRefused
from tests.approver_vault import COUNCIL, copies_of, head, vault_with_head


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from vault_with_head(tmp_path)


def test_the_printed_register_says_an_approved_case_was_withdrawn(app: App) -> None:
    """An approved case withdrawn printed its decision and nothing else: on paper it read as
    a destruction decided and still to be carried out (or carried out without minutes)."""
    first, second = copies_of(app)
    withdrawn = app.destruction.propose([first], "Hết giá trị", COUNCIL)
    app.destruction.approve(withdrawn.id, head(app), "QĐ 12/QĐ-STP")
    app.destruction.withdraw(withdrawn.id, "Tài liệu còn giá trị sử dụng", head(app))
    pending = app.destruction.propose([second], "Hết giá trị", COUNCIL)
    app.destruction.approve(pending.id, head(app), "QĐ 13/QĐ-STP")

    entries = app.printing.register_data("destruction", 2026).entries
    cells = {entry.cells["number"]: entry.cells for entry in entries}
    # the printed note says it, with its date (the layout's withdrawn mark)
    outcomes = {e.cells["number"]: (e.outcome, e.outcome_reason) for e in entries}
    assert outcomes["1"] == ("withdrawn", "Tài liệu còn giá trị sử dụng")
    assert outcomes["2"] == ("", "")
    assert cells["1"]["minutes_ref"] == "" and cells["1"]["destroyed_on"] == ""
    # a case still approved has no note
    assert cells["2"]["note"] == ""


def test_a_case_whose_copy_was_handed_over_while_proposed_cannot_be_approved(app: App) -> None:
    """While a case is only proposed its copies may still leave; the approver was then asked
    to decide the destruction of a copy already on its way to another body, and the case
    approved (it could never be carried out, and blocked the copy when it came back)."""
    first, _ = copies_of(app)
    case = app.destruction.propose([first], "Hết giá trị", COUNCIL)
    app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")
    with pytest.raises(CustodyRefused) as refused:
        app.destruction.approve(case.id, head(app), "QĐ 1")
    assert "cannot be destroyed" in refused.value.render("en")
    assert app.destruction.get(case.id).status == "proposed"
    assert app.audit.events(action_prefix="destruction.approved") == []
    # the proposal can still be withdrawn or refused
    assert app.destruction.withdraw(case.id, "Bản đã gửi đi", head(app)).status == "withdrawn"
