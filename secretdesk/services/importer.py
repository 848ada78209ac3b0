"""Importing the unit's existing registers (old Excel books) all at once, or not at all.

Reads CSV (UTF-8 with or without BOM, Excel's UTF-16 "Unicode text", or the legacy
Windows-1258 Vietnamese code page; comma, semicolon or tab chosen by which one yields the
headings we know) and .xlsx workbooks (first sheet, with the standard library only). Every
row is checked first; if any row has a problem nothing is stored and the report names each
bad row. Otherwise all rows are registered in one transaction (ItemService.register_many).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import itertools
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from secretdesk.domain.import_columns import (
    HEADING_SEARCH_ROWS,
    ImportFileInvalid,
    JoinedText,
    describe_column,
    heading_score,
)
from secretdesk.domain.import_rows import ParsedFile, RowProblem, parse_rows
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.roles import Permission
from secretdesk.domain.text import fold, nfc
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText
from secretdesk.services.context import ServiceContext
from secretdesk.services.items import ItemService, load_item
from secretdesk.services.registry import basis_on, entry_label

Rows = list[tuple[int, list[str]]]  # (row number as the spreadsheet shows it, cells)
MAX_FILE_BYTES = 64 * 1024 * 1024
DELIMITERS = (",", ";", "\t")


class ImportRefused(SecretDeskError):
    """Some rows have problems: nothing was imported (the problems follow, one per line)."""

    code = "import.refused"
    message = N_("Nothing was imported: {count} row(s) have problems.\n{problems}")


@dataclass(frozen=True)
class ImportReport:
    source: str
    direction: Direction
    file_format: str  # "xlsx" or the text encoding of a CSV file
    delimiter: str  # "" for xlsx
    heading_row: int
    mapping: list[tuple[str, str]]  # (column as shown, field)
    ignored: list[str]
    rows: int  # data rows read (blank rows not counted)
    problems: list[RowProblem]
    warnings: list[RowProblem]
    dry_run: bool
    imported: list[int] = field(default_factory=list)  # item ids, in register order
    first_entry: str = ""  # "outgoing 5/2026"
    last_entry: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def refusal(self) -> ImportRefused:
        return ImportRefused(
            count=len({p.row for p in self.problems}),
            problems=JoinedText([p.text() for p in self.problems], "\n", "  "),
        )


class ImportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.items = ItemService(ctx)

    def import_file(
        self,
        path: Path,
        direction: Direction,
        *,
        mapping: Mapping[str, str] | None = None,
        dry_run: bool = False,
    ) -> ImportReport:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise _invalid(N_("the file is larger than 64 MB."))
            data = path.read_bytes()
        except OSError as error:
            raise ImportFileInvalid(
                reason=LazyText(
                    N_("{file} cannot be read ({why})."), file=str(path), why=error.strerror
                )
            ) from error
        return self.import_bytes(data, path.name, direction, mapping=mapping, dry_run=dry_run)

    def import_bytes(
        self,
        data: bytes,
        source: str,
        direction: Direction,
        *,
        mapping: Mapping[str, str] | None = None,
        dry_run: bool = False,
    ) -> ImportReport:
        """Check every row; unless ``dry_run`` and if all rows are good, register them all."""
        self.ctx.actor.require(Permission.RECORD)
        rows, file_format, delimiter = read_table(data, mapping)
        today = self.ctx.today()
        parsed = parse_rows(rows, direction, basis_on(today), today, mapping)
        self._already_registered(parsed, direction)
        report = ImportReport(
            source=source,
            direction=direction,
            file_format=file_format,
            delimiter=delimiter,
            heading_row=parsed.heading_row,
            mapping=[
                (describe_column(i, parsed.headings), f) for i, f in sorted(parsed.columns.items())
            ],
            ignored=parsed.ignored,
            rows=len(parsed.rows) + len({p.row for p in parsed.problems}),
            problems=sorted(parsed.problems, key=lambda p: p.row),
            warnings=parsed.warnings,
            dry_run=dry_run,
        )
        if dry_run or not report.ok or not parsed.rows:
            return report
        ids = self.items.register_many([r.registration for r in parsed.rows], source)
        conn = self.ctx.read()
        first, last = load_item(conn, ids[0]), load_item(conn, ids[-1])
        return dataclasses.replace(
            report,
            imported=ids,
            first_entry=f"{first.book_kind} {first.register_number}",
            last_entry=f"{last.book_kind} {last.register_number}",
        )

    def _already_registered(self, parsed: ParsedFile, direction: Direction) -> None:
        """A row already in the register (the same file imported twice) is a problem."""
        keep = []
        for row in parsed.rows:
            found = self._find(row.registration, direction)
            if found is not None:
                parsed.problems.append(
                    RowProblem(
                        row.row,
                        parsed.column_of("number_symbol"),
                        LazyText(N_("already registered as {entry}"), entry=found),
                    )
                )
            else:
                keep.append(row)
        parsed.rows = keep

    def _find(self, reg: Registration, direction: Direction) -> LazyText | None:
        wanted = fold(nfc(reg.number_symbol))
        for item in self.items.search(reg.number_symbol, kind=direction.value, limit=1000):
            if (
                not item.cancelled
                and fold(item.number_symbol) == wanted
                and item.doc_date == reg.doc_date.isoformat()
                and fold(item.issuer) == fold(reg.issuer)
            ):
                return entry_label(item.book_kind, item.number, item.year)
        return None


def _invalid(message: str, **params: object) -> ImportFileInvalid:
    return ImportFileInvalid(reason=LazyText(message, **params))


# -- reading the file ---------------------------------------------------------------------
def read_table(data: bytes, overrides: Mapping[str, str] | None = None) -> tuple[Rows, str, str]:
    """(rows, format, delimiter) of an .xlsx workbook or a CSV text file."""
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data), "xlsx", ""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _invalid(
            N_("this is an old Excel 97-2003 (.xls) file: save it as .xlsx or CSV UTF-8.")
        )
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise _invalid(N_("the file is not a text (CSV) file or an .xlsx workbook."))
    delimiter = choose_delimiter(text, overrides)
    try:
        rows = [
            (n, cells)
            for n, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)
        ]
    except csv.Error as error:
        raise _invalid(N_("the CSV text cannot be read ({why})."), why=str(error)) from error
    return rows, encoding, delimiter


def decode_text(data: bytes) -> tuple[str, str]:
    """UTF-16 with BOM (Excel "Unicode text"), UTF-8 (BOM optional), else Windows-1258."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Windows-1258 writes most tone marks as combining characters: compose them.
        return nfc(data.decode("cp1258")), "cp1258"
    except UnicodeDecodeError:
        raise _invalid(
            N_('the text is neither UTF-8 nor Windows-1258; save it from Excel as "CSV UTF-8".')
        ) from None


def choose_delimiter(text: str, overrides: Mapping[str, str] | None = None) -> str:
    """The delimiter whose first rows contain the most headings we know (ties: the most cells)."""

    def score(delimiter: str) -> tuple[int, int]:
        try:
            reader = csv.reader(io.StringIO(text), delimiter=delimiter)
            head = list(itertools.islice(reader, HEADING_SEARCH_ROWS))
        except csv.Error:
            return (-1, 0)
        best = max((heading_score(cells, overrides) for cells in head), default=0)
        return (best, max((len(cells) for cells in head), default=0))

    return max(DELIMITERS, key=score)


# -- .xlsx with the standard library --------------------------------------------------------
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
MAX_XML_BYTES = 128 * 1024 * 1024


def read_xlsx(data: bytes) -> Rows:
    """Rows of the first worksheet as text (shared strings, inline strings, numbers)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            strings = _shared_strings(archive)
            sheet = _xml(archive, _first_sheet(archive))
        return _sheet_rows(sheet, strings)
    except (zipfile.BadZipFile, KeyError, IndexError, ElementTree.ParseError, ValueError) as error:
        raise _invalid(N_("the .xlsx workbook cannot be read ({why})."), why=str(error)) from error


def _sheet_rows(sheet: ElementTree.Element, strings: list[str]) -> Rows:
    rows: Rows = []
    for row in sheet.iter(f"{_MAIN}row"):
        number = int(row.get("r") or (rows[-1][0] + 1 if rows else 1))
        cells: dict[int, str] = {}
        for cell in row.findall(f"{_MAIN}c"):
            ref = cell.get("r")
            index = _column_index(ref) if ref else (max(cells) + 1 if cells else 0)
            cells[index] = _cell_text(cell, strings)
        width = max(cells) + 1 if cells else 0
        rows.append((number, [cells.get(i, "") for i in range(width)]))
    return rows


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = archive.getinfo(name)
    if info.file_size > MAX_XML_BYTES:
        raise ValueError(f"{name} is too large")
    data = archive.read(info)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValueError(f"{name} declares a DTD")
    return ElementTree.fromstring(data)


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = _xml(archive, "xl/sharedStrings.xml")
    return [_string_item(si) for si in root.findall(f"{_MAIN}si")]


def _string_item(node: ElementTree.Element) -> str:
    """Plain text (<t>) or rich text runs (<r><t>); phonetic runs (<rPh>) are left out."""
    parts = [t.text or "" for t in node.findall(f"{_MAIN}t")]
    parts += [t.text or "" for run in node.findall(f"{_MAIN}r") for t in run.findall(f"{_MAIN}t")]
    return "".join(parts)


def _first_sheet(archive: zipfile.ZipFile) -> str:
    workbook = _xml(archive, "xl/workbook.xml")
    first = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
    rel_id = first.get(f"{_REL}id") if first is not None else None
    if rel_id and "xl/_rels/workbook.xml.rels" in archive.namelist():
        for rel in _xml(archive, "xl/_rels/workbook.xml.rels").iter(f"{_PKG_REL}Relationship"):
            if rel.get("Id") == rel_id:
                target = rel.get("Target", "")
                return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _column_index(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref.upper())
    if letters is None:
        raise ValueError(f"bad cell reference {ref}")
    index = 0
    for letter in letters.group(0):
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _cell_text(cell: ElementTree.Element, strings: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = cell.find(f"{_MAIN}is")
        return _string_item(inline) if inline is not None else ""
    value = cell.findtext(f"{_MAIN}v") or ""
    if kind == "s" and value:
        return strings[int(value)]
    if kind == "n" and re.fullmatch(r"-?\d+\.0+", value):
        return value.split(".")[0]
    return value
