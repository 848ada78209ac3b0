"""Form layouts are data: every shipped file loads, broken files are refused clearly, and the
layout in force on a date is chosen."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from secretdesk.reports import forms
from secretdesk.reports.errors import FormLayoutMissing, InvalidFormLayout
from secretdesk.reports.forms import FormKind, load_layout, load_layouts
from secretdesk.resources import resource_path

SHIPPED = resource_path("forms")


def test_every_shipped_layout_loads_for_both_legal_bases() -> None:
    layouts = load_layouts()
    found = {(layout.kind, layout.legal_basis) for layout in layouts}
    assert found == {(kind, basis) for kind in FormKind for basis in ("2020", "2026")}
    for layout in layouts:
        assert layout.title.strip()
        for texts in layout.texts.values():
            assert texts == texts.strip()
        if layout.legal_basis == "2026":
            assert layout.confirmed is False, layout.name  # columns not yet confirmed
            assert layout.effective_from == date(2026, 3, 1)
        else:
            assert layout.effective_from == date(2020, 7, 1)


def test_form_codes_of_circular_24_2020() -> None:
    codes = {
        FormKind.REGISTER_COPIES: "Mẫu số 12",
        FormKind.REGISTER_OUTGOING: "Mẫu số 14",
        FormKind.REGISTER_INCOMING: "Mẫu số 15",
        FormKind.REGISTER_HANDOVERS: "Mẫu số 16",
        FormKind.STATISTICS: "Mẫu số 18",  # the per-item list (Law 2018 Art. 12.1)
    }
    for kind, code in codes.items():
        assert load_layout(kind, date(2024, 1, 1)).form_code == code


@pytest.mark.parametrize(
    ("on", "basis"),
    [
        (date(2020, 7, 1), "2020"),
        (date(2025, 6, 15), "2020"),
        (date(2026, 2, 28), "2020"),
        (date(2026, 3, 1), "2026"),
        (date(2031, 1, 1), "2026"),
    ],
)
def test_layout_in_force_on_a_date(on: date, basis: str) -> None:
    for kind in FormKind:
        assert load_layout(kind, on).legal_basis == basis


def test_no_layout_before_the_2020_basis() -> None:
    with pytest.raises(FormLayoutMissing) as caught:
        load_layout(FormKind.SLIP, date(2020, 6, 30))
    assert "30/06/2020" in caught.value.render("en")


def test_registers_mask_top_secret_summaries_and_mark_cancellations() -> None:
    for layout in load_layouts():
        if layout.kind.is_register:
            assert layout.texts["summary_mask"]
            assert layout.texts["cancelled_mark"] == "ĐÃ HỦY"
            fields = [column.field for column in layout.tables["entries"]]
            assert layout.cancelled_mark_field in fields
            assert {"number", "level"} <= set(fields)
            assert layout.page.orientation == "landscape"


def _broken(tmp_path: Path, change: Callable[[dict[str, Any]], None], name: str) -> Path:
    folder = tmp_path / "forms"
    folder.mkdir()
    for source in ("common.json", name):
        (folder / source).write_text((SHIPPED / source).read_text(encoding="utf-8"))
    data = json.loads((folder / name).read_text(encoding="utf-8"))
    change(data)
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if value is _DELETE:
            del target[last]
        elif isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return change


_DELETE = object()
REGISTER = "register_outgoing-2020.json"
COLUMN = "tables.entries.3"


@pytest.mark.parametrize(
    ("name", "change", "problem"),
    [
        (REGISTER, _set("title", _DELETE), "missing 'title'"),
        (REGISTER, _set("kind", "register_secret"), "unknown kind"),
        (REGISTER, _set("legal_basis", "1999"), "unknown legal_basis"),
        (REGISTER, _set("effective_from", "01/07/2020"), "not a date"),
        (REGISTER, _set("colour", "red"), "unknown keys ['colour']"),
        (REGISTER, _set(f"{COLUMN}.align", "justified"), "unknown align 'justified'"),
        (REGISTER, _set(f"{COLUMN}.field", "secret_name"), "unknown field 'secret_name'"),
        (REGISTER, _set(f"{COLUMN}.width_mm", 30), "give width_mm or weight, not both"),
        (REGISTER, _set("tables.entries.2.width_mm", 240), "has 262.0 mm between the margins"),
        ("register_copies-2020.json", _set("page.orientation", "portrait"), "has 175.0 mm"),
        (REGISTER, _set("page.orientation", "sideways"), "unknown orientation"),
        (REGISTER, _set("page.margins_mm.left", 2), "margins under"),
        (REGISTER, _set("texts.summary_mask", _DELETE), "missing texts ['summary_mask']"),
        (REGISTER, _set("texts.running_title", "{title} {secret}"), "unknown placeholders"),
        (REGISTER, _set("texts.shout", "!"), "unknown text 'shout'"),
        (REGISTER, _set("cancelled_mark_field", "summery"), "cancelled_mark_field"),
        (REGISTER, _set("cover.0.field", "colour"), "unknown cover field"),
        ("slip-2020.json", _set("choices.handover_kinds.dispatch", _DELETE), "handover_kinds"),
        ("slip-2020.json", _set("signatures.1.name", "nobody"), "not a field of SlipData"),
        ("labels-2020.json", _set("grid.rows", 8), "does not fit an A4 sheet"),
        ("inventory-2020.json", _set("tables.rows.0.field", "secret"), "unknown field"),
        ("annual_report-2020.json", _set("choices.events", {}), "choices 'events' is empty"),
    ],
)
def test_broken_layouts_are_refused_naming_file_and_problem(
    tmp_path: Path, name: str, change: Callable[[dict[str, Any]], None], problem: str
) -> None:
    folder = _broken(tmp_path, change, name)
    with pytest.raises(InvalidFormLayout) as caught:
        load_layouts(folder)
    message = caught.value.render("en")
    assert name in message
    assert problem in message
    assert "không hợp lệ" in caught.value.render("vi")


def test_unreadable_json_is_refused(tmp_path: Path) -> None:
    (tmp_path / "slip-2020.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(InvalidFormLayout, match=r"slip-2020\.json"):
        load_layouts(tmp_path)


def test_two_layouts_in_force_from_the_same_day_are_refused(tmp_path: Path) -> None:
    folder = _broken(tmp_path, lambda data: None, REGISTER)
    (folder / "register_outgoing-copy.json").write_text(
        (folder / REGISTER).read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(InvalidFormLayout, match="same kind and effective_from"):
        load_layouts(folder)


def test_a_new_layout_file_takes_effect_from_its_date(tmp_path: Path) -> None:
    def later(data: dict[str, Any]) -> None:
        data["effective_from"] = "2027-01-01"
        data["title"] = "SỔ MỚI"

    folder = _broken(tmp_path, later, "slip-2026.json")
    assert load_layout(FormKind.SLIP, date(2027, 1, 1), folder).title == "SỔ MỚI"
    with pytest.raises(FormLayoutMissing):
        load_layout(FormKind.SLIP, date(2026, 12, 31), folder)


def test_known_bases_come_from_the_rule_files() -> None:
    assert {"2020", "2026"} <= forms.known_bases()
