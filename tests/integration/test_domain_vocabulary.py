"""One vocabulary: every status and kind is a StrEnum in domain/, spelled the same in the
database (its CHECK constraints), the CLI (its choices), the forms, the slip and the labels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.domain import custody
from secretdesk.domain.approvals import ApprovalStep
from secretdesk.domain.books import BookKind
from secretdesk.domain.classification import DeclassificationKind
from secretdesk.domain.copies import CopyKind
from secretdesk.domain.custody import CopyState
from secretdesk.domain.destruction import DESTRUCTION_FLOW, CouncilRole, DestructionStatus
from secretdesk.domain.drafts import DraftStatus
from secretdesk.domain.handovers import HANDOVER_TRANSITIONS, HandoverKind, HandoverStatus
from secretdesk.domain.incidents import IncidentKind
from secretdesk.domain.levels import Level
from secretdesk.domain.permits import PERMIT_FLOW, PermitKind, PermitStatus
from secretdesk.domain.reproductions import (
    REPRODUCTION_FLOW,
    ReproductionForm,
    ReproductionStatus,
)
from secretdesk.domain.roles import Actor, Role
from secretdesk.reports.forms import FormKind, load_layout
from secretdesk.services import (
    copies,
    destruction,
    drafts,
    handovers,
    incidents,
    permits,
    printing,
    registry,
)
from tests.helpers import new_app

ROOT = Path(__file__).resolve().parents[2]

# (table, column) -> the enum whose values the database allows there
COLUMNS: dict[tuple[str, str], type[StrEnum]] = {
    ("book", "kind"): BookKind,
    ("copy", "kind"): CopyKind,
    ("copy", "state"): CopyState,
    ("reproduction", "form"): ReproductionForm,
    ("reproduction", "status"): ReproductionStatus,
    ("handover", "kind"): HandoverKind,
    ("handover", "status"): HandoverStatus,
    ("permit", "kind"): PermitKind,
    ("permit", "status"): PermitStatus,
    ("destruction_case", "status"): DestructionStatus,
    ("council_member", "role"): CouncilRole,
    ("draft", "status"): DraftStatus,
    ("incident", "kind"): IncidentKind,
    ("declassification", "kind"): DeclassificationKind,
}


# Statuses read back but never stored as such: a withdrawn case keeps "refused" in its status
# column and a withdrawal record (schema 11).
READ_ONLY = {DestructionStatus.WITHDRAWN.value}


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    opened: App
    opened, _ = new_app(tmp_path_factory.mktemp("vocabulary") / "v")
    rows = opened.ctx.read().execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    yield {str(name): str(sql) for name, sql in rows}
    opened.close()


def _allowed(sql: str, column: str) -> set[str]:
    match = re.search(rf"\b{column}\b[^,]*?CHECK\s*\(\s*{column}\s+IN\s*\(([^)]*)\)", sql, re.S)
    assert match, f"no CHECK on {column}"
    return set(re.findall(r"'([^']*)'", match.group(1)))


@pytest.mark.parametrize(("table", "column"), sorted(COLUMNS))
def test_the_database_allows_exactly_the_domain_values(
    schema: dict[str, str], table: str, column: str
) -> None:
    assert table in schema, table
    stored = {m.value for m in COLUMNS[table, column]} - READ_ONLY
    assert _allowed(schema[table], column) == stored


def test_handover_kinds_have_one_spelling_in_cli_labels_and_slip() -> None:
    kinds = {k.value for k in HandoverKind}
    assert set(handovers.KINDS) == kinds  # the CLI's --kind choices
    assert set(handovers.KIND_LABELS) == kinds  # tables, the window's form
    for basis_day in (date(2025, 6, 1), date(2026, 6, 1)):
        layout = load_layout(FormKind.SLIP, basis_day)
        assert set(layout.choices["handover_kinds"]) == kinds, basis_day
    assert set(printing._HANDOVER_KIND_TEXT) == kinds  # the handover register's column
    for path in (ROOT / "resources" / "forms").glob("slip-*.json"):
        text = path.read_text(encoding="utf-8")
        for old in ("internal_issue", '"receipt"', "recall_return"):
            assert old not in text, (path.name, old)


def test_labels_and_choices_cover_exactly_the_enums() -> None:
    assert set(copies.FORMS) == set(copies.FORM_LABELS) == {f.value for f in ReproductionForm}
    assert set(copies.STATUS_LABELS) == {s.value for s in ReproductionStatus}
    assert set(permits.KINDS) == set(permits.KIND_LABELS) == {k.value for k in PermitKind}
    assert set(permits.STATUSES) == set(permits.STATUS_LABELS) == {s.value for s in PermitStatus}
    assert set(destruction.STATUSES) == set(destruction.STATUS_LABELS)
    assert set(destruction.STATUSES) == {s.value for s in DestructionStatus}
    assert set(destruction.ROLES) == set(destruction.ROLE_LABELS) == {r.value for r in CouncilRole}
    assert set(drafts.STATUS_LABELS) == {s.value for s in DraftStatus}
    assert set(incidents.KINDS) == set(incidents.KIND_LABELS) == {k.value for k in IncidentKind}
    assert set(registry.BOOK_KINDS) == set(registry.BOOK_KIND_LABELS) == {k.value for k in BookKind}
    assert set(handovers.STATUS_LABELS) == {s.value for s in HandoverStatus}


def test_active_custody_has_one_definition() -> None:
    states = set(CopyState)
    assert custody.ACTIVE_STATES | {CopyState.IN_TRANSIT} == custody.ACCOUNTABLE_STATES
    assert states == custody.ACCOUNTABLE_STATES | custody.CLOSED_STATES
    assert not custody.ACCOUNTABLE_STATES & custody.CLOSED_STATES
    assert custody.COPYABLE_STATES <= custody.ACTIVE_STATES
    assert [s for s in CopyState if custody.in_active_custody(s)] == [
        CopyState.IN_STORAGE,
        CopyState.ISSUED,
        CopyState.OUT_OF_STORAGE,
    ]
    defined_elsewhere = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "secretdesk").rglob("*.py")
        if path.name != "custody.py"
        and re.search(r"^\s*ACTIVE_STATES\s*=", path.read_text(encoding="utf-8"), re.M)
    ]
    assert defined_elsewhere == []


def test_actor_covers_the_levels_up_to_their_authority() -> None:
    deputy = Actor(3, "deputy", "Phó", Role.APPROVER, Level.TOI_MAT)
    assert deputy.covers(Level.MAT) and deputy.covers(Level.TOI_MAT)
    assert not deputy.covers(Level.TUYET_MAT)
    assert not Actor(4, "clerk", "Văn thư", Role.CLERK, None).covers(Level.MAT)


def test_approval_flows_share_one_shape() -> None:
    for flow in (REPRODUCTION_FLOW, PERMIT_FLOW, DESTRUCTION_FLOW):
        assert flow.next_status(flow.pending, ApprovalStep.APPROVE) == flow.approved
        assert flow.next_status(flow.pending, ApprovalStep.REFUSE) == flow.refused
        assert flow.next_status(flow.approved, ApprovalStep.CARRY_OUT) == flow.done
        assert flow.next_status(flow.pending, ApprovalStep.CARRY_OUT) is None
        assert flow.next_status(flow.refused, ApprovalStep.APPROVE) is None
        assert flow.next_status(flow.done, ApprovalStep.REFUSE) is None
    # only a destruction case is approved again (its approval lapsed) or refused once approved
    assert REPRODUCTION_FLOW.next_status(ReproductionStatus.APPROVED, ApprovalStep.REFUSE) is None
    assert (
        DESTRUCTION_FLOW.next_status(DestructionStatus.APPROVED, ApprovalStep.REFUSE)
        == DestructionStatus.REFUSED
    )


def test_a_handover_closes_once() -> None:
    assert set(HANDOVER_TRANSITIONS.values()) == {HandoverStatus.CLOSED}
    assert all(status is HandoverStatus.OPEN for status, _step in HANDOVER_TRANSITIONS)


def test_the_shared_steps_live_in_one_place() -> None:
    """Approval checks go through services/approval.py, custody moves and register entries
    through services/custody.py, not through each service's own copy."""
    services = ROOT / "secretdesk" / "services"
    for name in ("copies.py", "permits.py", "destruction.py"):
        text = (services / name).read_text(encoding="utf-8")
        assert "require_approval_of(" not in text, name
        assert "require_post(" not in text, name
        assert "APPROVAL = ApprovalWorkflow(" in text, name
    for path in sorted(services.rglob("*.py")):
        if path.name == "custody.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "items.move_copy(" not in text, path.name
        assert "registry.add_entry(" not in text, path.name


def test_services_get_their_collaborators_instead_of_building_them() -> None:
    """No service method builds another service: the composition root (app.py) passes them
    in. Left: the constructor-time fallbacks (a service built on its own, as tests and the
    exporter do) and the demo, which is a composition root of its own."""
    import ast

    allowed = {"demo.py"}
    found = []
    for path in sorted((ROOT / "secretdesk" / "services").rglob("*.py")):
        if path.name in allowed:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef) or func.name == "__init__":
                continue
            decorators = {getattr(d, "id", getattr(d, "attr", "")) for d in func.decorator_list}
            if decorators & {"property", "cached_property"}:
                continue
            for call in ast.walk(func):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id.endswith("Service")
                ):
                    found.append(f"{path.name}:{call.lineno} {call.func.id}")
    assert found == []
