"""Rows of an old register (the unit's Excel books) turned into registrations.

Pure: the caller reads the file and hands over rows of text cells with the row numbers the
spreadsheet shows; the columns are found by import_columns; this module parses every cell
and returns either a ``Registration`` per row or the problems of each row, naming the row,
the column and why.

"Ghi chú" (notes) and the old register's own number are kept in the item's search text only
(an item has no notes field). Notes of a Tuyệt mật item are left out, with a warning, when
the rule in force would refuse its summary (rule 9): otherwise a summary put into the notes
column would reach the database through the search text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from secretdesk.domain.errors import InvalidLevel
from secretdesk.domain.import_columns import (
    describe_column,
    field_label,
    find_heading_row,
    heading_key,
    map_columns,
)
from secretdesk.domain.items import (
    Container,
    Direction,
    InvalidItem,
    Registration,
    SummaryForbidden,
    Urgency,
    check_summary_rule,
)
from secretdesk.domain.legal import LegalBasis
from secretdesk.domain.levels import Level
from secretdesk.domain.text import fold
from secretdesk.i18n import N_, LazyText


@dataclass(frozen=True)
class RowProblem:
    """Why one row cannot be imported; ``row`` is the number the spreadsheet shows."""

    row: int
    column: str  # "C (Độ mật)", or "" for the whole row
    reason: LazyText

    def text(self) -> LazyText:
        if self.column:
            return LazyText(
                N_("Row {row}, column {column}: {reason}"),
                row=self.row,
                column=self.column,
                reason=self.reason,
            )
        return LazyText(N_("Row {row}: {reason}"), row=self.row, reason=self.reason)


@dataclass(frozen=True)
class ParsedRow:
    row: int
    registration: Registration


@dataclass
class ParsedFile:
    heading_row: int
    headings: list[str]
    columns: dict[int, str]  # column index -> field
    ignored: list[str]  # headings of columns that are not imported
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)

    def column_of(self, name: str) -> str:
        for index, mapped in self.columns.items():
            if mapped == name:
                return describe_column(index, self.headings)
        return ""


class _Bad(Exception):
    """A cell that cannot be read; carries the reason for the report."""

    def __init__(self, reason: LazyText) -> None:
        super().__init__(reason.message)
        self.reason = reason


EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (18264, 73050)  # 1950-01-01 .. 2099-12-31 as Excel day numbers


def parse_date(text: str) -> date:
    """DD/MM/YYYY (also with - or .), YYYY-MM-DD, or an Excel day number from an .xlsx."""
    value = text.strip()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?", value):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value):
        day, month, year = (int(g) for g in match.groups())
    elif re.fullmatch(r"\d{5}(?:\.\d+)?", value) and (
        _SERIAL_RANGE[0] <= int(float(value)) <= _SERIAL_RANGE[1]
    ):
        return EXCEL_EPOCH + timedelta(days=int(float(value)))
    else:
        raise _Bad(LazyText(N_('"{value}" is not a date (DD/MM/YYYY or YYYY-MM-DD)'), value=value))
    try:
        return date(year, month, day)
    except ValueError:
        raise _Bad(LazyText(N_('"{value}" is not a valid date'), value=value)) from None


def parse_count(text: str, *, minimum: int) -> int:
    value = text.strip()
    match = re.fullmatch(r"(\d+)(?:[.,]0+)?(?:\s*(?:bản|ban|tờ|to|trang))?", value, re.IGNORECASE)
    if match is None:
        raise _Bad(LazyText(N_('"{value}" is not a whole number'), value=value))
    number = int(match.group(1))
    if number < minimum:
        raise _Bad(LazyText(N_("{value} is less than {minimum}"), value=number, minimum=minimum))
    return number


def parse_level(text: str) -> Level:
    value = re.sub(r"\([^)]*\)", " ", text).strip(" .;:-")
    try:
        return Level.parse(value)
    except InvalidLevel:
        raise _Bad(
            LazyText(
                N_('"{value}" is not a classification level (Mật, Tối mật, Tuyệt mật)'),
                value=text.strip(),
            )
        ) from None


_URGENCY = {"khan": Urgency.KHAN, "thuong khan": Urgency.THUONG_KHAN, "hoa toc": Urgency.HOA_TOC}
_NOT_URGENT = {"", "thuong", "binh thuong", "khong", "khong khan"}


def parse_urgency(text: str) -> Urgency | None:
    key = heading_key(text).replace("-", " ")
    if key in _NOT_URGENT:
        return None
    if key in _URGENCY:
        return _URGENCY[key]
    try:
        return Urgency(text.strip())
    except ValueError:
        raise _Bad(
            LazyText(
                N_('"{value}" is not an urgency (Khẩn, Thượng khẩn, Hỏa tốc)'),
                value=text.strip(),
            )
        ) from None


# fmt: off
_CONTAINERS = {
    "giay": Container.PAPER, "van ban giay": Container.PAPER, "ban giay": Container.PAPER,
    "dien tu": Container.ELECTRONIC, "tep dien tu": Container.ELECTRONIC,
    "usb": Container.ELECTRONIC, "dia": Container.ELECTRONIC, "dia cd": Container.ELECTRONIC,
    "vat": Container.OBJECT, "vat the": Container.OBJECT, "hien vat": Container.OBJECT,
    "ban do": Container.MAP, "anh": Container.PHOTO, "ghi am": Container.PHOTO,
    "ghi hinh": Container.PHOTO, "phim": Container.PHOTO, "khac": Container.OTHER,
}
# fmt: on


def parse_container(text: str) -> Container:
    key = heading_key(text)
    if not key:
        return Container.PAPER
    found = _CONTAINERS.get(key)
    if found is None:
        try:
            found = Container(key)
        except ValueError:
            raise _Bad(
                LazyText(
                    N_(
                        '"{value}" is not a kind of container (giấy, điện tử, vật, bản đồ, '
                        "ảnh/ghi âm, khác)"
                    ),
                    value=text.strip(),
                )
            ) from None
    return found


_YES = {"x", "co", "yes", "y", "1", "true", "dong y", "dung"}
_NO = {"", "khong", "no", "n", "0", "false"}


def parse_flag(text: str) -> bool:
    key = heading_key(text) or text.strip().lower()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise _Bad(LazyText(N_('"{value}" is neither yes (x, có) nor no'), value=text.strip()))


# Which field an InvalidItem reason of Registration.validate() is about.
_VALIDATION_FIELD = {
    "the number and symbol are required": "number_symbol",
    "the number of copies must be from 1 to {maximum}": "copies",
    "the document date is in the future": "doc_date",
    "the classification date is in the future": "classified_on",
    "the number of pages cannot be negative": "pages",
    "the return deadline is before the document date": "recall_by",
}


def parse_rows(
    rows: Sequence[tuple[int, Sequence[str]]],
    direction: Direction,
    basis: LegalBasis,
    today: date,
    overrides: Mapping[str, str] | None = None,
) -> ParsedFile:
    """Every data row below the heading row, parsed and validated; nothing is stored."""
    heading_index = find_heading_row(rows, overrides)
    heading_number, headings = rows[heading_index]
    columns, ignored = map_columns(list(headings), overrides)
    parsed = ParsedFile(heading_number, list(headings), columns, ignored)
    seen: dict[tuple[str, date, str], int] = {}
    data = rows[heading_index + 1 :]
    if data and _is_column_numbering(data[0][1]):
        data = data[1:]
    for number, cells in data:
        if not any(c.strip() for c in cells):
            continue
        values = {name: (cells[i] if i < len(cells) else "") for i, name in columns.items()}
        registration, problems = _parse_row(number, values, parsed, direction, basis, today)
        if registration is not None:
            key = (
                fold(registration.number_symbol),
                registration.doc_date,
                fold(registration.issuer),
            )
            if key in seen:
                problems.append(
                    RowProblem(
                        number,
                        parsed.column_of("number_symbol"),
                        LazyText(
                            N_("the same number, symbol, date and issuer as row {row}"),
                            row=seen[key],
                        ),
                    )
                )
            else:
                seen[key] = number
        if problems:
            parsed.problems.extend(problems)
        elif registration is not None:
            parsed.rows.append(ParsedRow(number, registration))
    return parsed


def _is_column_numbering(cells: Sequence[str]) -> bool:
    """The "(1) (2) (3)" line printed under the headings of a register form."""
    filled = [c.strip() for c in cells if c.strip()]
    return len(filled) >= 2 and all(re.fullmatch(r"\(?\d{1,2}\)?\.?", c) for c in filled)


def _parse_row(
    number: int,
    values: Mapping[str, str],
    parsed: ParsedFile,
    direction: Direction,
    basis: LegalBasis,
    today: date,
) -> tuple[Registration | None, list[RowProblem]]:
    problems: list[RowProblem] = []
    out: dict[str, object] = {}

    def problem(name: str, reason: LazyText) -> None:
        problems.append(RowProblem(number, parsed.column_of(name), reason))

    def read(name: str, parse: object, required: bool = False) -> None:
        text = values.get(name, "").strip()
        if not text:
            if required:
                problem(name, LazyText(N_("the {field} is missing"), field=field_label(name)))
            return
        try:
            out[name] = parse(text) if callable(parse) else text
        except _Bad as bad:
            problem(name, bad.reason)

    read("number_symbol", None, required=True)
    read("doc_date", parse_date, required=True)
    read("level", parse_level, required=True)
    read("copies", lambda t: parse_count(t, minimum=1), required=True)
    read("pages", lambda t: parse_count(t, minimum=0))
    read("urgency", parse_urgency)
    read("container", parse_container)
    for name in ("classified_on", "recall_by"):
        read(name, parse_date)
    for name in ("summary_consent", "no_copying"):
        read(name, parse_flag)
    text_fields = (
        "summary",
        "doc_type",
        "issuer",
        "recipients",
        "classifier",
        "named_addressee",
        "drafter",
        "storage_location",
        "notes",
        "old_number",
    )
    for name in text_fields:
        read(name, None)
    if problems:
        return None, problems
    level = out["level"]
    assert isinstance(level, Level)
    notes = str(out.get("notes", ""))
    consent = bool(out.get("summary_consent", False))
    if notes:
        try:
            check_summary_rule(level, notes, consent, basis)
        except SummaryForbidden:
            parsed.warnings.append(
                RowProblem(
                    number,
                    parsed.column_of("notes"),
                    LazyText(
                        N_("the notes of a Tuyệt mật item are not kept (rule on its summary)")
                    ),
                )
            )
            notes = ""
    old_number = str(out.get("old_number", ""))
    registration = Registration(
        direction=direction,
        level=level,
        number_symbol=str(out["number_symbol"]),
        doc_date=out["doc_date"],  # type: ignore[arg-type]
        copies=out["copies"],  # type: ignore[arg-type]
        doc_type=str(out.get("doc_type", "")),
        issuer=str(out.get("issuer", "")),
        summary=str(out.get("summary", "")),
        summary_consent=consent,
        container=out.get("container", Container.PAPER),  # type: ignore[arg-type]
        urgency=out.get("urgency"),  # type: ignore[arg-type]
        pages=out.get("pages"),  # type: ignore[arg-type]
        classifier=str(out.get("classifier", "")),
        classified_on=out.get("classified_on"),  # type: ignore[arg-type]
        copying_allowed=not out.get("no_copying", False),
        recall_by=out.get("recall_by"),  # type: ignore[arg-type]
        named_addressee=str(out.get("named_addressee", "")),
        recipients=str(out.get("recipients", "")),
        drafter=str(out.get("drafter", "")),
        storage_location=str(out.get("storage_location", "")),
        extra_search=tuple(x for x in (notes, old_number) if x),
    ).normalised()
    try:
        registration.validate(basis, today)
    except SummaryForbidden as refused:
        problem("summary", LazyText(refused.message, **refused.params))
        return None, problems
    except InvalidItem as refused:
        reason = refused.params.get("reason")
        message_id = reason.message if isinstance(reason, LazyText) else ""
        name = _VALIDATION_FIELD.get(message_id, "")
        problems.append(
            RowProblem(
                number,
                parsed.column_of(name) if name else "",
                reason
                if isinstance(reason, LazyText)
                else LazyText(refused.message, **refused.params),
            )
        )
        return None, problems
    return registration, problems
