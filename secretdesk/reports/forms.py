"""Form layouts as data (resources/forms/*.json), validated when loaded.

One file per (form kind, legal basis). Each gives the Vietnamese title, the form code where
the law numbers it ("Mẫu số 14"), the page set-up, cover fields (registers), table columns
(heading, field, width in mm or a relative weight, alignment), signature blocks and every
fixed text the form prints. ``common.json`` holds the page furniture shared by all forms
(national title, footer texts); a layout may override any of it.

``load_layout(kind, on)`` returns the layout in force on a date: the one with the latest
``effective_from`` not after it. A register book prints the layout in force on the day it was
opened, so a book opened in 2025 keeps the 2020 layout after 1 March 2026.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

from secretdesk.domain.custody import CopyState
from secretdesk.reports import model
from secretdesk.reports.errors import FormLayoutMissing, InvalidFormLayout
from secretdesk.resources import resource_path

A4_MM = (210.0, 297.0)
MIN_COLUMN_MM = 8.0
MIN_MARGIN_MM = 5.0
ALIGNMENTS = ("left", "center", "right")
ORIENTATIONS = ("portrait", "landscape")
RUNNING_HEADERS = ("all", "after_first", "none")
COMMON_FILE = "common.json"


class FormKind(StrEnum):
    REGISTER_OUTGOING = "register_outgoing"
    REGISTER_INCOMING = "register_incoming"
    REGISTER_INTERNAL = "register_internal"  # derived from the outgoing layout, unconfirmed
    REGISTER_COPIES = "register_copies"
    REGISTER_HANDOVERS = "register_handovers"
    REGISTER_DESTRUCTION = "register_destruction"
    SLIP = "slip"
    LABELS = "labels"
    MINUTES = "minutes"
    TAKE_OUT_PERMIT = "take_out_permit"
    INVENTORY = "inventory"
    ANNUAL_REPORT = "annual_report"
    STATISTICS = "statistics"  # Law 2018 Art. 12.1: items by time and level

    @property
    def is_register(self) -> bool:
        return self.value.startswith("register_")


# Fixed texts: key -> the placeholders the template may use.
P = frozenset
COMMON_TEXTS: Mapping[str, frozenset[str]] = {
    "page_number": P({"page", "pages"}),
    "printed": P({"time", "date", "by"}),
    "chain_head": P({"head"}),
    "national_title": P(),
    "motto": P(),
    "date_line": P({"place", "day", "month", "year"}),
    "number_line": P({"number", "year"}),
    "signature_hint": P(),
    "blank": P(),
}
_REGISTER_TEXTS = {
    "cancelled_mark": P(),
    "summary_mask": P(),
    "summary_consent_note": P({"name", "date"}),
    "running_title": P({"title", "year", "volume"}),
}
_LINE_TEXTS = {"items_total": P({"count"})}
KIND_TEXTS: Mapping[FormKind, Mapping[str, frozenset[str]]] = {
    **{kind: _REGISTER_TEXTS for kind in FormKind if kind.is_register},
    # a case that ended without a destruction says how (refused; withdrawn, with its reason)
    FormKind.REGISTER_DESTRUCTION: {
        **_REGISTER_TEXTS,
        "refused_mark": P({"date"}),
        "withdrawn_mark": P({"date", "reason"}),
    },
    FormKind.SLIP: {
        **_LINE_TEXTS,
        "handed_at": P({"time", "date"}),
        "kind": P({"kind"}),
        "sender": P({"sender"}),
        "recipient_body": P({"body"}),
        "recipient_person": P({"person"}),
        "envelope_marks": P({"marks"}),
        "courier": P({"courier"}),
        "items_heading": P(),
        "instruction": P(),
        "code_caption": P({"code"}),
        "received_at": P(),
        "cut_line": P(),
        "stub_title": P(),
        "stub_signature": P(),
    },
    FormKind.LABELS: {
        "copy_title": P({"number"}),
        "number_symbol": P({"value"}),
        "addressee": P({"value"}),
        "sender": P({"value"}),
        "named_only": P(),
        "named_to": P({"name"}),
        "recall": P(),
        "recall_deadline": P({"date"}),
    },
    FormKind.MINUTES: {
        "subtitle": P(),
        "basis": P({"decision"}),
        "opening": P({"time", "date", "place"}),
        "members_intro": P(),
        "copies_intro": P(),
        "method": P({"method"}),
        "closing": P(),
        **_LINE_TEXTS,
        "council_basis": P({"decision"}),
        "emergency_subtitle": P(),
        "emergency_basis": P({"report"}),
        "emergency_opening": P({"time", "date", "place", "holder"}),
        "holder_caption": P(),
        "emergency_closing": P(),
        "dossier_heading": P(),
        "dossier": P({"council", "decision"}),
        "not_given": P(),
    },
    FormKind.TAKE_OUT_PERMIT: {
        "subtitle": P(),
        "requester": P({"name", "position"}),
        "items_intro": P(),
        "purpose": P({"purpose"}),
        "destination": P({"destination"}),
        "period": P({"from_time", "from_date", "until_time", "until_date"}),
        "measures": P({"measures"}),
        "obligation": P(),
        "requester_unit": P({"unit"}),
        "summary_withheld": P(),
        "abroad_subtitle": P(),
        "delegation": P({"head"}),
        "foreign_subtitle": P(),
        "foreign_body": P({"body", "name", "position", "nationality", "passport"}),
        "foreign_items_intro": P(),
        "commitment": P({"commitment"}),
        "authority": P({"authority"}),
        "closing_heading": P(),
        "closing_report": P({"report"}),
        "returned": P({"date"}),
        "not_closed": P(),
    },
    FormKind.INVENTORY: {
        "as_of": P({"date"}),
        "rows_heading": P(),
        "rows_total": P({"count"}),
        "discrepancies_heading": P(),
        "no_discrepancies": P(),
        "not_mustered": P(),
    },
    FormKind.ANNUAL_REPORT: {
        "window": P({"year", "start", "end"}),
        "held_heading": P(),
        "held_row": P(),
        "events_heading": P(),
        "findings_heading": P(),
        "no_findings": P(),
        "fingerprint": P({"fingerprint"}),
        "situation_heading": P(),
        "results_heading": P(),
        "cases_heading": P(),
        "no_cases": P(),
        "forecast_heading": P(),
        "not_written": P(),
        "due": P({"date"}),
    },
    FormKind.STATISTICS: {
        "window": P({"year", "start", "end"}),
        "level_heading": P({"number", "level", "count"}),
        "no_rows": P(),
        "summary_withheld": P(),
    },
}
# Enumerations printed by name: choice -> the keys it must cover (None: any keys, in order).
KIND_CHOICES: Mapping[FormKind, Mapping[str, frozenset[str] | None]] = {
    FormKind.SLIP: {"handover_kinds": P(k.value for k in model.HandoverKind)},
    FormKind.INVENTORY: {"states": P(s.value for s in CopyState)},
    FormKind.ANNUAL_REPORT: {"events": None},
}
KIND_TABLES: Mapping[FormKind, Mapping[str, frozenset[str]]] = {
    kind: model.TABLE_FIELDS[kind.value] for kind in FormKind if kind.value in model.TABLE_FIELDS
}
KIND_DATA: Mapping[FormKind, type] = {
    **{kind: model.RegisterData for kind in FormKind if kind.is_register},
    FormKind.SLIP: model.SlipData,
    FormKind.LABELS: model.LabelData,
    FormKind.MINUTES: model.MinutesData,
    FormKind.TAKE_OUT_PERMIT: model.TakeOutPermitData,
    FormKind.INVENTORY: model.InventoryData,
    FormKind.ANNUAL_REPORT: model.AnnualReportData,
    FormKind.STATISTICS: model.StatisticsListData,
}
_TOP_KEYS = {
    "kind", "legal_basis", "effective_from", "confirmed", "title", "form_code", "notes",
    "page", "cover", "tables", "signatures", "texts", "choices", "grid",
    "cancelled_mark_field", "tuyet_mat_summary",
}  # fmt: skip
# What a register layout prints of a Tuyệt mật summary: the rule of its basis.
SUMMARY_RULES = ("with_classifier_consent", "forbidden")


@dataclass(frozen=True)
class Column:
    heading: str
    field: str
    align: str
    width_mm: float | None = None  # fixed width, or
    weight: float | None = None  # a share of the width left over


@dataclass(frozen=True)
class CoverField:
    label: str
    field: str


@dataclass(frozen=True)
class SignatureBlock:
    caption: str
    hint: str = ""
    name_field: str | None = None  # a field of the form's data printed under the space


@dataclass(frozen=True)
class PageSetup:
    orientation: str
    margins_mm: tuple[float, float, float, float]  # top, right, bottom, left
    running_header: str
    font_size: float

    @property
    def size_mm(self) -> tuple[float, float]:
        width, height = A4_MM
        return (height, width) if self.orientation == "landscape" else (width, height)

    @property
    def usable_mm(self) -> tuple[float, float]:
        width, height = self.size_mm
        top, right, bottom, left = self.margins_mm
        return width - left - right, height - top - bottom


@dataclass(frozen=True)
class LabelGrid:
    """An A4 sheet of labels: ``columns`` x ``rows`` labels, positions counted row by row."""

    columns: int
    rows: int
    label_width_mm: float
    label_height_mm: float
    top_mm: float
    left_mm: float
    gap_x_mm: float
    gap_y_mm: float
    padding_mm: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows


@dataclass(frozen=True)
class FormLayout:
    name: str
    kind: FormKind
    legal_basis: str
    effective_from: date
    confirmed: bool
    title: str
    form_code: str | None
    page: PageSetup
    cover: tuple[CoverField, ...]
    tables: Mapping[str, tuple[Column, ...]]
    signatures: tuple[SignatureBlock, ...]
    texts: Mapping[str, str]
    choices: Mapping[str, Mapping[str, str]]
    grid: LabelGrid | None = None
    cancelled_mark_field: str | None = None
    tuyet_mat_summary: str = "forbidden"  # registers: "with_classifier_consent" (2020)

    def text(self, key: str, **values: object) -> str:
        return self.texts[key].format(**values)


def parse_layout(name: str, data: Any, common: Mapping[str, str] | None = None) -> FormLayout:
    """Validate one layout file's JSON; raise InvalidFormLayout naming the file and problem."""
    check = _Checker(name)
    check.that(isinstance(data, dict), "the file must hold a JSON object")
    unknown = sorted(set(data) - _TOP_KEYS)
    check.that(not unknown, f"unknown keys {unknown}")
    try:
        kind = FormKind(check.get(data, "kind", str))
    except ValueError:
        raise check.fail(f"unknown kind {data['kind']!r}") from None
    basis = check.get(data, "legal_basis", str)
    check.that(basis in known_bases(), f"unknown legal_basis {basis!r}")
    try:
        effective_from = date.fromisoformat(check.get(data, "effective_from", str))
    except ValueError:
        raise check.fail("effective_from is not a date (YYYY-MM-DD)") from None
    page = _parse_page(check, check.get(data, "page", dict))
    tables = _parse_tables(check, kind, page, data.get("tables", {}))
    texts = {**(common or {}), **check.get(data, "texts", dict)}
    _check_texts(check, kind, texts)
    cover = tuple(
        CoverField(check.get(item, "label", str), check.get(item, "field", str))
        for item in check.get(data, "cover", list, default=[])
    )
    for item in cover:
        check.that(item.field in model.COVER_FIELDS, f"unknown cover field {item.field!r}")
    check.that(bool(cover) == kind.is_register, "cover fields are for registers only, and needed")
    mark_field = data.get("cancelled_mark_field")
    if kind.is_register:
        fields_in_table = {column.field for column in tables["entries"]}
        check.that(mark_field in fields_in_table, "cancelled_mark_field must name a column")
    else:
        check.that(mark_field is None, "cancelled_mark_field is for registers only")
    grid = _parse_grid(check, data["grid"]) if "grid" in data else None
    check.that((grid is not None) == (kind is FormKind.LABELS), "a grid is for labels only")
    check.that(kind is not FormKind.LABELS or page.orientation == "portrait", "labels: portrait")
    form_code = data.get("form_code")
    check.that(form_code is None or isinstance(form_code, str), "form_code must be a string")
    confirmed = data.get("confirmed", False)
    check.that(isinstance(confirmed, bool), "confirmed must be true or false")
    summary_rule = data.get("tuyet_mat_summary", "forbidden")
    check.that(summary_rule in SUMMARY_RULES, f"tuyet_mat_summary must be one of {SUMMARY_RULES}")
    check.that(
        kind.is_register or "tuyet_mat_summary" not in data,
        "tuyet_mat_summary is for registers only",
    )
    return FormLayout(
        name=name,
        kind=kind,
        legal_basis=basis,
        effective_from=effective_from,
        confirmed=confirmed,
        title=check.get(data, "title", str),
        form_code=form_code,
        page=page,
        cover=cover,
        tables=tables,
        signatures=_parse_signatures(check, kind, data.get("signatures", [])),
        texts=texts,
        choices=_parse_choices(check, kind, data.get("choices", {})),
        grid=grid,
        cancelled_mark_field=mark_field,
        tuyet_mat_summary=summary_rule,
    )


def load_layouts(directory: Path | None = None) -> tuple[FormLayout, ...]:
    """Every layout in a folder (default: the shipped forms), all validated."""
    if directory is None:
        return _shipped_layouts()
    return _load_directory(directory)


def load_layout(kind: FormKind | str, on: date, directory: Path | None = None) -> FormLayout:
    """The layout of ``kind`` in force on ``on``."""
    wanted = FormKind(kind)
    candidates = [
        layout
        for layout in load_layouts(directory)
        if layout.kind is wanted and layout.effective_from <= on
    ]
    if not candidates:
        raise FormLayoutMissing(kind=wanted.value, on=on.strftime("%d/%m/%Y"))
    return max(candidates, key=lambda layout: layout.effective_from)


@lru_cache(maxsize=1)
def known_bases() -> frozenset[str]:
    """Legal basis codes of the shipped rule files (resources/rules/*.json)."""
    codes = set()
    for path in sorted(resource_path("rules").glob("*.json")):
        codes.add(str(json.loads(path.read_text(encoding="utf-8"))["code"]))
    return frozenset(codes)


@lru_cache(maxsize=1)
def _shipped_layouts() -> tuple[FormLayout, ...]:
    return _load_directory(resource_path("forms"))


def _load_directory(directory: Path) -> tuple[FormLayout, ...]:
    common: dict[str, str] = {}
    common_path = directory / COMMON_FILE
    if common_path.is_file():
        common = _parse_common(_read_json(common_path))
    layouts = []
    seen: dict[tuple[FormKind, date], str] = {}
    for path in sorted(directory.glob("*.json")):
        if path.name == COMMON_FILE:
            continue
        layout = parse_layout(path.name, _read_json(path), common)
        key = (layout.kind, layout.effective_from)
        if key in seen:
            raise InvalidFormLayout(
                file=path.name, problem=f"same kind and effective_from as {seen[key]}"
            )
        seen[key] = path.name
        layouts.append(layout)
    return tuple(layouts)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidFormLayout(file=path.name, problem=f"unreadable: {error}") from error


def _parse_common(data: Any) -> dict[str, str]:
    check = _Checker(COMMON_FILE)
    check.that(isinstance(data, dict) and set(data) == {"texts"}, "must hold only 'texts'")
    texts = check.get(data, "texts", dict)
    for key, value in texts.items():
        check.that(key in COMMON_TEXTS, f"unknown text {key!r}")
        _check_template(check, key, value, COMMON_TEXTS[key])
    return dict(texts)


class _Checker:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, problem: str) -> InvalidFormLayout:
        return InvalidFormLayout(file=self.name, problem=problem)

    def that(self, condition: bool, problem: str) -> None:
        if not condition:
            raise self.fail(problem)

    def get(self, data: Any, key: str, kind: type, default: Any = None) -> Any:
        if not isinstance(data, dict):
            raise self.fail(f"expected an object holding '{key}'")
        if key not in data:
            if default is not None:
                return default
            raise self.fail(f"missing '{key}'")
        value = data[key]
        if kind is float:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
        else:
            ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            raise self.fail(f"'{key}' must be {kind.__name__}")
        if kind is str and not value.strip():
            raise self.fail(f"'{key}' is empty")
        return value


def _parse_page(check: _Checker, data: dict[str, Any]) -> PageSetup:
    orientation = check.get(data, "orientation", str)
    check.that(orientation in ORIENTATIONS, f"unknown orientation {orientation!r}")
    margins = check.get(data, "margins_mm", dict)
    values = tuple(
        float(check.get(margins, side, float)) for side in ("top", "right", "bottom", "left")
    )
    check.that(all(v >= MIN_MARGIN_MM for v in values), f"margins under {MIN_MARGIN_MM} mm")
    running = check.get(data, "running_header", str, default="all")
    check.that(running in RUNNING_HEADERS, f"unknown running_header {running!r}")
    font_size = float(check.get(data, "font_size", float, default=11))
    check.that(6 <= font_size <= 16, "font_size must be between 6 and 16")
    page = PageSetup(orientation, (values[0], values[1], values[2], values[3]), running, font_size)
    width, height = page.usable_mm
    check.that(width >= 50 and height >= 50, "margins leave less than 50 mm for the text")
    return page


def _parse_tables(
    check: _Checker, kind: FormKind, page: PageSetup, data: Any
) -> dict[str, tuple[Column, ...]]:
    check.that(isinstance(data, dict), "'tables' must be an object")
    expected = KIND_TABLES.get(kind, {})
    check.that(set(data) == set(expected), f"tables must be exactly {sorted(expected)}")
    usable_width = page.usable_mm[0]
    tables = {}
    for table, items in data.items():
        check.that(isinstance(items, list) and bool(items), f"table {table!r} has no columns")
        columns = []
        for item in items:
            column = _parse_column(check, table, item)
            check.that(
                column.field in expected[table],
                f"table {table!r}: unknown field {column.field!r} "
                f"(known: {', '.join(sorted(expected[table]))})",
            )
            columns.append(column)
        names = [column.field for column in columns]
        check.that(len(set(names)) == len(names), f"table {table!r} repeats a field")
        fixed = sum(column.width_mm or 0.0 for column in columns)
        flexible = sum(1 for column in columns if column.weight is not None)
        needed = fixed + flexible * MIN_COLUMN_MM
        check.that(
            needed <= usable_width + 0.01,
            f"table {table!r} needs {needed:.1f} mm but the {page.orientation} page "
            f"has {usable_width:.1f} mm between the margins",
        )
        tables[table] = tuple(columns)
    return tables


def _parse_column(check: _Checker, table: str, item: Any) -> Column:
    heading = check.get(item, "heading", str)
    field = check.get(item, "field", str)
    align = check.get(item, "align", str, default="left")
    check.that(align in ALIGNMENTS, f"table {table!r}: column {field!r}: unknown align {align!r}")
    has_width, has_weight = "width_mm" in item, "weight" in item
    check.that(has_width != has_weight, f"column {field!r}: give width_mm or weight, not both")
    width = float(check.get(item, "width_mm", float)) if has_width else None
    weight = float(check.get(item, "weight", float)) if has_weight else None
    check.that(
        (width is None or width >= MIN_COLUMN_MM) and (weight is None or weight > 0),
        f"column {field!r}: width under {MIN_COLUMN_MM} mm or weight not positive",
    )
    unknown = sorted(set(item) - {"heading", "field", "align", "width_mm", "weight"})
    check.that(not unknown, f"column {field!r}: unknown keys {unknown}")
    return Column(heading=heading, field=field, align=align, width_mm=width, weight=weight)


def _check_texts(check: _Checker, kind: FormKind, texts: Mapping[str, Any]) -> None:
    allowed = {**COMMON_TEXTS, **KIND_TEXTS.get(kind, {})}
    missing = sorted(set(allowed) - set(texts))
    check.that(not missing, f"missing texts {missing}")
    for key, value in texts.items():
        check.that(key in allowed, f"unknown text {key!r}")
        _check_template(check, key, value, allowed[key])


def _check_template(check: _Checker, key: str, value: Any, allowed: frozenset[str]) -> None:
    check.that(isinstance(value, str) and bool(value.strip()), f"text {key!r} must be a string")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as error:
        raise check.fail(f"text {key!r}: {error}") from None
    unknown = sorted(names - allowed)
    check.that(not unknown, f"text {key!r}: unknown placeholders {unknown}")
    if key == "page_number":
        check.that(value.count("{pages}") == 1, "text 'page_number' must hold {pages} once")


def _parse_signatures(check: _Checker, kind: FormKind, data: Any) -> tuple[SignatureBlock, ...]:
    check.that(isinstance(data, list), "'signatures' must be a list")
    names = {f.name for f in fields(KIND_DATA[kind])}
    blocks = []
    for item in data:
        name_field = item.get("name") if isinstance(item, dict) else None
        check.that(
            name_field is None or name_field in names,
            f"signature name {name_field!r} is not a field of {KIND_DATA[kind].__name__}",
        )
        hint = item.get("hint", "")
        check.that(isinstance(hint, str), "signature hint must be a string")
        blocks.append(SignatureBlock(check.get(item, "caption", str), hint, name_field))
    return tuple(blocks)


def _parse_choices(check: _Checker, kind: FormKind, data: Any) -> dict[str, dict[str, str]]:
    check.that(isinstance(data, dict), "'choices' must be an object")
    expected = KIND_CHOICES.get(kind, {})
    check.that(set(data) == set(expected), f"choices must be exactly {sorted(expected)}")
    choices = {}
    for name, keys in expected.items():
        mapping = check.get(data, name, dict)
        check.that(bool(mapping), f"choices {name!r} is empty")
        check.that(
            all(isinstance(v, str) and v.strip() for v in mapping.values()),
            f"choices {name!r}: every label must be a non-empty string",
        )
        if keys is not None:
            check.that(set(mapping) == keys, f"choices {name!r} must name exactly {sorted(keys)}")
        choices[name] = dict(mapping)
    return choices


def _parse_grid(check: _Checker, data: Any) -> LabelGrid:
    get = check.get
    grid = LabelGrid(
        columns=get(data, "columns", int),
        rows=get(data, "rows", int),
        label_width_mm=float(get(data, "label_width_mm", float)),
        label_height_mm=float(get(data, "label_height_mm", float)),
        top_mm=float(get(data, "top_mm", float)),
        left_mm=float(get(data, "left_mm", float)),
        gap_x_mm=float(get(data, "gap_x_mm", float)),
        gap_y_mm=float(get(data, "gap_y_mm", float)),
        padding_mm=float(get(data, "padding_mm", float)),
    )
    check.that(grid.columns >= 1 and grid.rows >= 1, "grid needs at least one row and column")
    check.that(grid.label_width_mm >= 30 and grid.label_height_mm >= 20, "labels too small")
    width = grid.left_mm + grid.columns * grid.label_width_mm + (grid.columns - 1) * grid.gap_x_mm
    height = grid.top_mm + grid.rows * grid.label_height_mm + (grid.rows - 1) * grid.gap_y_mm
    check.that(
        width <= A4_MM[0] + 0.01 and height <= A4_MM[1] + 0.01,
        f"the label grid ({width:.1f} x {height:.1f} mm) does not fit an A4 sheet",
    )
    return grid
