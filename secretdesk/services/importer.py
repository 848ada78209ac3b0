"""Importing the unit's existing registers (old Excel books) all at once, or not at all.

Reads CSV (UTF-8 with or without BOM, Excel's UTF-16 "Unicode text", or the legacy
Windows-1258 Vietnamese code page; comma, semicolon or tab chosen by which one yields the
headings we know) and .xlsx workbooks (first sheet, openpyxl read-only with defusedxml, under
size limits measured while reading). Every
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
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from xml.parsers import expat

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
    def __init__(self, ctx: ServiceContext, items: ItemService | None = None) -> None:
        """``items`` comes from the composition root (app.py); alone, one is built."""
        self.ctx = ctx
        self.items = items or ItemService(ctx)

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


# -- .xlsx with openpyxl (read-only) and defusedxml ---------------------------------------------
# Limits, checked while the parts are decompressed (a zip's declared sizes may lie).
MAX_XLSX_PARTS = 500
MAX_PART_BYTES = 64 * 1024 * 1024
MAX_XLSX_BYTES = 192 * 1024 * 1024  # every part together, decompressed
MAX_SHEETS = 256
MAX_ROWS = 200_000
MAX_COLUMNS = 256  # a register has a dozen columns; Excel itself stops at XFD (16,384)
_XML_PARTS = (".xml", ".rels", ".vml")
# The shape of the XML, checked while streaming (no tree is built): deep nesting, or a long
# run of elements that openpyxl keeps in memory (it clears only the rows, cells and shared
# strings it reads), blows up a 66 KB workbook past 1.5 GB with no DTD at all.
MAX_XML_DEPTH = 64
MAX_CHILDREN = 20_000  # children of one element, except the lists below
_LONG_LISTS = frozenset({("sheetData", "row"), ("row", "c"), ("sst", "si")})
_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class _Refused(ValueError):
    """A workbook refused by a limit or a rule: the message says which."""


def read_xlsx(data: bytes) -> Rows:
    """Rows of the first worksheet as text, read with openpyxl in read-only mode.

    Before openpyxl sees the workbook, every part is decompressed once as a stream and
    measured (part count, each part's size, the total), and every XML part must be UTF-8
    without a DTD; openpyxl then parses with defusedxml. Rows past MAX_ROWS, cells past
    MAX_COLUMNS (and cell references past XFD) are refused, so memory stays bounded.
    """
    import openpyxl  # imported here: only an .xlsx import needs it
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - a dependency of the program
        raise _invalid(N_("the .xlsx workbook cannot be read ({why})."), why="defusedxml missing")
    try:
        _check_parts(data)
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
        try:
            if len(workbook.sheetnames) > MAX_SHEETS:
                raise _Refused(f"more than {MAX_SHEETS} sheets")
            if not workbook.worksheets:
                raise _Refused("the workbook has no worksheet")
            return _sheet_rows(workbook.worksheets[0])
        finally:
            workbook.close()
    except _Refused as error:
        raise _invalid(N_("the .xlsx workbook is refused: {why}."), why=str(error)) from None
    except (zipfile.BadZipFile, KeyError, IndexError, ValueError, TypeError, OSError) as error:
        raise _invalid(N_("the .xlsx workbook cannot be read ({why})."), why=str(error)) from None
    except Exception as error:  # defusedxml's refusals, parser errors: all "cannot be read"
        why = f"{type(error).__name__}: {error}"[:200]
        raise _invalid(N_("the .xlsx workbook cannot be read ({why})."), why=why) from None


def _check_parts(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_XLSX_PARTS:
            raise _Refused(f"more than {MAX_XLSX_PARTS} parts")
        total = 0
        for info in infos:
            if info.file_size > MAX_PART_BYTES:
                raise _Refused(f"part {info.filename} is larger than {MAX_PART_BYTES} bytes")
            is_xml = info.filename.lower().endswith(_XML_PARTS)
            shape = (
                _XmlShape(info.filename)
                if info.filename.lower().endswith((".xml", ".rels"))
                else None
            )
            size, head, tail = 0, b"", b""
            with archive.open(info) as stream:
                while chunk := stream.read(1 << 20):
                    size += len(chunk)
                    total += len(chunk)
                    if size > MAX_PART_BYTES:
                        raise _Refused(
                            f"part {info.filename} is larger than {MAX_PART_BYTES} bytes"
                        )
                    if total > MAX_XLSX_BYTES:
                        raise _Refused(f"the parts together exceed {MAX_XLSX_BYTES} bytes")
                    if is_xml:
                        if not head:
                            head = chunk[:200]
                            _check_xml_head(info.filename, head)
                        window = tail + chunk
                        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                            raise _Refused(f"part {info.filename} declares a DTD")
                        tail = chunk[-16:]
                    if shape is not None:
                        shape.feed(chunk)


class _XmlShape:
    """Streams one XML part through expat, refusing nesting past MAX_XML_DEPTH and more than
    MAX_CHILDREN children of one element (outside _LONG_LISTS). A part expat cannot parse is
    no longer followed: openpyxl's parser stops at the same place."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.stack: list[list[Any]] = []  # [local name, children so far]
        self.parser: Any = expat.ParserCreate(namespace_separator=" ")
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end

    def feed(self, chunk: bytes) -> None:
        if self.parser is None:
            return
        try:
            self.parser.Parse(chunk, False)
        except expat.ExpatError:
            self.parser = None

    def _start(self, tag: str, _attrs: object) -> None:
        local = tag.rpartition(" ")[2]
        if self.stack:
            parent = self.stack[-1]
            parent[1] += 1
            if parent[1] > MAX_CHILDREN and (parent[0], local) not in _LONG_LISTS:
                raise _Refused(
                    f"part {self.name} has more than {MAX_CHILDREN} <{local}> in one place"
                )
        if len(self.stack) >= MAX_XML_DEPTH:
            raise _Refused(f"part {self.name} is nested deeper than {MAX_XML_DEPTH} levels")
        self.stack.append([local, 0])

    def _end(self, _tag: str) -> None:
        self.stack.pop()


def _check_xml_head(name: str, head: bytes) -> None:
    """XML parts of a workbook are UTF-8 (as Excel writes them): anything else could hide a
    DTD from a byte search, so it is refused."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        raise _Refused(f"part {name} is not UTF-8")
    match = _ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    if match is not None and match.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8"):
        raise _Refused(f"part {name} is not UTF-8")


def _sheet_rows(sheet: Any) -> Rows:
    sheet.reset_dimensions()  # the sheet's own claim of its size is not trusted
    rows: Rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS:
            raise _Refused(f"more than {MAX_ROWS} rows")
        if len(row) > MAX_COLUMNS:
            raise _Refused(f"row {number} has cells past column {MAX_COLUMNS}")
        cells = [_cell_text(value) for value in row]
        while cells and cells[-1] == "":
            cells.pop()
        rows.append((number, cells))
    while rows and not rows[-1][1]:
        rows.pop()
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
