"""The ``--json`` contract: each domain type's ``to_json()`` keys and value types, pinned.

A renamed column or field changes a storage row or a dataclass, never this contract silently:
if a key or a value type here changes, the README "JSON output" section and every script that
reads the CLI's output must change with it.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from secretdesk.domain.books import Book, Entry
from secretdesk.domain.classification import (
    Declassification,
    DeclassificationKind,
    ExtensionDecision,
    LevelChange,
)
from secretdesk.domain.copies import Copy, CopyNumber
from secretdesk.domain.custody import CopyState
from secretdesk.domain.destruction import (
    CouncilSeat,
    DestructionCase,
    DestructionStatus,
    Withdrawal,
)
from secretdesk.domain.drafts import Draft
from secretdesk.domain.handovers import Handover
from secretdesk.domain.incidents import Incident
from secretdesk.domain.items import Item
from secretdesk.domain.levels import Level
from secretdesk.domain.permits import Permit
from secretdesk.domain.reproductions import Reproduction
from secretdesk.domain.roles import Actor, Role, User

ROOT = Path(__file__).resolve().parents[2]

ITEM = Item(
    id=7, entry_id=3, book_kind="incoming", year=2026, number=12, cancelled=False,
    direction="incoming", container="paper", number_symbol="12/QĐ-UBND", doc_date="2026-10-01",
    doc_type="Quyết định", issuer="UBND tỉnh", summary=None, level=Level.TOI_MAT, urgency=None,
    pages=3, classifier="Ông A", classified_on="2026-10-01", shorter_until=None,
    copying_allowed=True, recall_by=None, named_addressee="Bà B", addressee_opened_at=None,
    origin="received", recipients="", copies_issued=2, drafter="", storage_location="Tủ 1",
    legal_basis="2026", created_at="2026-11-02T08:30:00+00:00",
)  # fmt: skip
COPY = Copy(
    id=5, item_id=7, kind="reproduction", number=1, reproduction_id=2,
    state=CopyState.IN_STORAGE, holder="Văn thư",
)  # fmt: skip
REPRODUCTION = Reproduction(
    id=2, item_id=7, source_copy_id=4, form="sao-y", requested_count=2, purpose="họp",
    requested_by="clerk", requested_at="2026-11-02T08:30:00+00:00", status="approved",
    approved_by="head", approved_at="2026-11-02T08:31:00+00:00", authorised_count=2,
    made_count=None, spoiled_count=0, copied_by=None, copied_at=None, copied_place=None,
    entry_id=None,
)  # fmt: skip
HANDOVER = Handover(
    id=1, entry_id=9, year=2026, number=3, kind="dispatch", sender="Văn thư",
    recipient_body="Sở Nội vụ", recipient_person="", courier="", envelope_marks="A",
    handed_at="2026-11-02T08:30:00+00:00", due_by="2026-11-12", status="open",
    receipt_by=None, receipt_at=None, copy_ids=(4, 5),
)  # fmt: skip
CASE = DestructionCase(
    id=1, entry_id=10, year=2026, number=1, grounds="hết giá trị", emergency=False,
    proposed_by="clerk", proposed_at="2026-11-02T08:30:00+00:00", status="proposed",
    approved_by=None, approved_at=None, decision_ref=None, destroyed_at=None, place=None,
    method=None, report=None, copy_ids=(4,),
    council=(CouncilSeat("Ông C", "chair", "Phó Giám đốc"),),
)  # fmt: skip
PERMIT = Permit(
    id=1, kind="take-out", requester="Ông D", requesting_body="", purpose="họp",
    place="Hà Nội", starts_at="2026-11-03T08:00", ends_at="2026-11-04T17:00",
    protection="cặp có khóa", commitment="", recorded_by="clerk",
    recorded_at="2026-11-02T08:30:00+00:00", status="requested", approved_by=None,
    approved_at=None, closed_at=None, closing_report=None, copy_ids=(4,),
)  # fmt: skip
DRAFT = Draft(
    id=1, entry_id=11, year=2026, number=4, title="Báo cáo", version=2, drafter="Bà E",
    drafted_on="2026-11-01", computer="MAY-01", proposed_level=Level.MAT, status="working",
    supersedes_id=None, item_id=None,
)  # fmt: skip
INCIDENT = Incident(
    id=1, kind="tampering", copy_id=None, description="bì rách", occurred_at="2026-11-02T08:00",
    reported_by="Văn thư", reported_to="Giám đốc", created_at="2026-11-02T08:30:00+00:00",
)  # fmt: skip
USER = Actor(
    user_id=2, username="head", full_name="Nguyễn Văn Thủ Trưởng", role=Role.APPROVER,
    max_level=Level.TOI_MAT, clearance=Level.TUYET_MAT,
)  # fmt: skip
BOOK = Book(
    id=1, kind="incoming", year=2026, volume=1, legal_basis="2026", opened_on="2026-01-01",
    closed_on=None, locked=False,
)  # fmt: skip
ENTRY = Entry(
    id=3, book_id=1, kind="incoming", year=2026, number=12,
    created_at="2026-11-02T08:30:00+00:00", created_by="clerk", cancelled=False,
    cancel_reason=None, corrects_entry_id=None,
)  # fmt: skip

LEVEL_CHANGE = LevelChange(
    id=1, item_id=7, old_level=Level.MAT, new_level=Level.TOI_MAT, decided_on="2026-11-01",
    decided_by="Ông A", reason="", notify_by="2026-11-16",
    created_at="2026-11-02T08:30:00+00:00",
)  # fmt: skip
EXTENSION = ExtensionDecision(
    id=1, item_id=7, decided_on="2026-11-01", years=10, decided_by="Ông A",
    new_expiry="2046-10-01", notify_by="2026-11-16", created_at="2026-11-02T08:30:00+00:00",
)  # fmt: skip
DECLASSIFICATION = Declassification(
    id=1, item_id=7, kind=DeclassificationKind.COUNCIL, decided_on="2026-11-01",
    decided_by="Hội đồng", partial=False, scope="", created_at="2026-11-02T08:30:00+00:00",
)  # fmt: skip

INT, STR, BOOL, NULL, LIST, DICT = "int", "str", "bool", "null", "list", "dict"
OPT_INT, OPT_STR = (INT, NULL), (STR, NULL)

# type -> {key: JSON value type(s)}. Change only together with the README "JSON output".
SHAPES: dict[str, tuple[Any, dict[str, Any]]] = {
    "Item": (ITEM, {
        "id": INT, "register": STR, "number_symbol": STR, "doc_date": STR, "level": STR,
        "doc_type": STR, "issuer": STR, "summary": STR, "copies": INT, "cancelled": BOOL,
        "unopened": BOOL,
    }),
    "Copy": (COPY, {
        "id": INT, "item_id": INT, "kind": STR, "number": INT, "reproduction_id": OPT_INT,
        "state": STR, "holder": STR, "label": STR,
    }),
    "Reproduction": (REPRODUCTION, {
        "id": INT, "item_id": INT, "source_copy_id": INT, "form": STR, "requested_count": INT,
        "purpose": STR, "requested_by": STR, "requested_at": STR, "status": STR,
        "approved_by": OPT_STR, "approved_at": OPT_STR, "authorised_count": OPT_INT,
        "made_count": OPT_INT, "spoiled_count": INT, "copied_by": OPT_STR,
        "copied_at": OPT_STR, "copied_place": OPT_STR, "entry_id": OPT_INT,
    }),
    "Handover": (HANDOVER, {
        "number": STR, "kind": STR, "to": STR, "copies": STR, "status": STR,
        "handed_at": STR, "receipt_by": STR, "marks": STR,
    }),
    "DestructionCase": (CASE, {
        "id": INT, "entry_id": INT, "year": INT, "number": INT, "grounds": STR,
        "emergency": BOOL, "proposed_by": STR, "proposed_at": STR, "status": STR,
        "approved_by": OPT_STR, "approved_at": OPT_STR, "decision_ref": OPT_STR,
        "destroyed_at": OPT_STR, "place": OPT_STR, "method": OPT_STR, "report": OPT_STR,
        "copy_ids": LIST, "council": LIST, "withdrawal": (DICT, NULL),
    }),
    "Permit": (PERMIT, {
        "id": INT, "kind": STR, "requester": STR, "requesting_body": STR, "purpose": STR,
        "place": STR, "starts_at": OPT_STR, "ends_at": OPT_STR, "protection": STR,
        "commitment": STR, "recorded_by": STR, "recorded_at": STR, "status": STR,
        "approved_by": OPT_STR, "approved_at": OPT_STR, "closed_at": OPT_STR,
        "closing_report": OPT_STR, "copy_ids": LIST,
    }),
    "Draft": (DRAFT, {
        "id": INT, "entry_id": INT, "year": INT, "number": STR, "title": STR, "version": INT,
        "drafter": STR, "drafted_on": STR, "computer": STR, "proposed_level": STR,
        "status": STR, "supersedes_id": OPT_INT, "item_id": OPT_INT,
    }),
    "Incident": (INCIDENT, {
        "id": INT, "kind": STR, "copy_id": OPT_INT, "description": STR, "occurred_at": STR,
        "reported_by": STR, "reported_to": STR, "created_at": STR,
    }),
    "User": (USER, {
        "username": STR, "full_name": STR, "role": STR, "max_level": STR, "clearance": STR,
        "disabled": BOOL,
    }),
    "Book": (BOOK, {
        "id": INT, "kind": STR, "year": INT, "volume": INT, "legal_basis": STR,
        "opened_on": STR, "closed_on": OPT_STR, "locked": BOOL,
    }),
    "Entry": (ENTRY, {
        "id": INT, "book_id": INT, "kind": STR, "year": INT, "number": INT,
        "created_at": STR, "created_by": STR, "cancelled": BOOL, "cancel_reason": OPT_STR,
        "corrects_entry_id": OPT_INT,
    }),
    "LevelChange": (LEVEL_CHANGE, {
        "id": INT, "item_id": INT, "old_level": STR, "new_level": STR, "decided_on": STR,
        "decided_by": STR, "reason": STR, "notify_by": STR, "created_at": STR,
    }),
    "ExtensionDecision": (EXTENSION, {
        "id": INT, "item_id": INT, "decided_on": STR, "years": INT, "decided_by": STR,
        "new_expiry": STR, "notify_by": STR, "created_at": STR,
    }),
    "Declassification": (DECLASSIFICATION, {
        "id": INT, "item_id": INT, "kind": STR, "decided_on": STR, "decided_by": STR,
        "partial": BOOL, "scope": STR, "created_at": STR,
    }),
}  # fmt: skip


def _json_type(value: object) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if type(value) is str:  # a plain str: no StrEnum leaks into the output
        return STR
    if isinstance(value, list):
        return LIST
    if isinstance(value, dict):
        return DICT
    raise AssertionError(f"{value!r} is not a JSON value")


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_to_json_shape_is_pinned(name: str) -> None:
    sample, shape = SHAPES[name]
    data = sample.to_json()
    assert list(data) == list(shape), f"{name}.to_json() keys changed"
    for key, wanted in shape.items():
        allowed = wanted if isinstance(wanted, tuple) else (wanted,)
        assert _json_type(data[key]) in allowed, f"{name}.{key}: {data[key]!r}"
    assert json.loads(json.dumps(data)) == data  # plain JSON, nothing stringified by default=


def test_nested_values_are_plain_json() -> None:
    assert CASE.to_json()["council"] == [
        {"name": "Ông C", "role": "chair", "position": "Phó Giám đốc"}
    ]
    assert CASE.to_json()["copy_ids"] == [4]
    withdrawn = replace(
        CASE,
        status=DestructionStatus.WITHDRAWN,
        withdrawal=Withdrawal("trùng", "clerk", "head", "2026-11-02T08:30:00+00:00", "proposed"),
    )
    assert withdrawn.to_json()["withdrawal"] == {
        "reason": "trùng",
        "withdrawn_by": "clerk",
        "countersigned_by": "head",
        "withdrawn_at": "2026-11-02T08:30:00+00:00",
        "status_before": "proposed",
    }
    assert PERMIT.to_json()["copy_ids"] == [4]
    assert HANDOVER.to_json()["copies"] == "4,5"


def test_copy_number_reads_as_on_paper() -> None:
    assert COPY.label == "Bản sao số 1"
    assert str(CopyNumber("original", 2)) == "Bản số 2"
    assert User is Actor


def test_every_type_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## JSON output", 1)[1].split("\n## ", 1)[0]
    for name, (_sample, shape) in SHAPES.items():
        block = re.search(rf"^### {name}\b.*?(?=^### |\Z)", section, re.S | re.M)
        assert block, f"README 'JSON output' lacks {name}"
        for key in shape:
            assert f"`{key}`" in block.group(0), f"README {name} lacks {key}"


def test_the_cli_never_prints_a_dataclass_as_it_is() -> None:
    """The CLI's JSON goes through to_json(): no asdict() of a register record."""
    for path in sorted((ROOT / "secretdesk" / "cli").glob("*.py")):
        assert "asdict(" not in path.read_text(encoding="utf-8"), path.name
