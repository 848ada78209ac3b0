"""Crafted .xlsx workbooks are refused with a clear message, in bounded memory and time: each
is read in a child process limited to 1.5 GB of address space (RLIMIT_AS)."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest

from secretdesk.services.importer import MAX_PART_BYTES, ImportFileInvalid, read_table

FIXTURE = Path(__file__).parent.parent / "fixtures" / "import" / "incoming.xlsx"
SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
LIMIT = 1536 * 1024 * 1024


def workbook(parts: dict[str, bytes]) -> bytes:
    """The fixture workbook with some parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(FIXTURE) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name not in parts:
                target.writestr(name, source.read(name), zipfile.ZIP_DEFLATED)
        for name, data in parts.items():
            target.writestr(name, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet(body: str, head: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}">{head}'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


LAUGHS = (
    '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    + "]>"
).replace("&lol0;", "&lol;")


BOMBS = {
    "column AAAAAA": workbook(
        {SHEET: sheet('<row r="1"><c r="AAAAAA1"><v>1</v></c></row>').encode()}
    ),
    "UTF-16 part with a DTD": workbook(
        {
            SHEET: (
                LAUGHS
                + sheet(
                    '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                ).split("\n", 1)[1]
            ).encode("utf-16")
        }
    ),
    "cells past the column limit": workbook(
        {
            SHEET: sheet(
                '<row r="1"><c r="XFD1"><v>1</v></c></row>', '<dimension ref="A1:XFD1048576"/>'
            ).encode()
        }
    ),
    "a row far below": workbook(
        {
            SHEET: sheet(
                '<row r="1"><c r="A1"><v>1</v></c></row>'
                '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
            ).encode()
        }
    ),
    "a part of 200 MB": workbook({"xl/sharedStrings.xml": b" " * (MAX_PART_BYTES + 1)}),
    "a UTF-8 DTD": workbook(
        {
            SHEET: (
                '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + sheet("").split("\n", 1)[1]
            ).encode()
        }
    ),
}

CHILD = textwrap.dedent(
    """
    import resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    from secretdesk.services.importer import ImportFileInvalid, read_table
    data = open(sys.argv[1], "rb").read()
    started = time.perf_counter()
    try:
        read_table(data)
    except ImportFileInvalid as error:
        print("REFUSED", round(time.perf_counter() - started, 2), error.render("en"))
    else:
        print("ACCEPTED")
    """
)


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_crafted_workbook_is_refused_in_bounded_memory_and_time(
    name: str, tmp_path: Path
) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(BOMBS[name])
    assert path.stat().st_size < 2 * 1024 * 1024
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(limit=LIMIT), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("REFUSED"), result.stdout
    assert "xlsx workbook" in result.stdout
    assert float(result.stdout.split()[1]) < 10
    assert time.perf_counter() - started < 30


def test_a_utf16_part_is_refused_for_its_encoding() -> None:
    with pytest.raises(ImportFileInvalid) as raised:
        read_table(BOMBS["UTF-16 part with a DTD"])
    assert "is not UTF-8" in raised.value.render("en")


def test_a_column_past_xfd_is_refused() -> None:
    with pytest.raises(ImportFileInvalid) as raised:
        read_table(BOMBS["column AAAAAA"])
    assert "AAAAAA" in raised.value.render("en")


# -- XML shape bombs with no DTD at all: deep nesting, a long run of elements (review) -----
DEPTH = 9_000_000

SHAPE_BOMBS = {
    "nested sheet": workbook({SHEET: sheet("<a>" * DEPTH + "</a>" * DEPTH).encode()}),
    "run of unknown elements": workbook({SHEET: sheet("<a/>" * 16_000_000).encode()}),
}


@pytest.mark.parametrize("name", sorted(SHAPE_BOMBS))
def test_xml_shape_bombs_are_refused_in_bounded_memory(name: str, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(SHAPE_BOMBS[name])
    assert path.stat().st_size < 256 * 1024
    result = subprocess.run(
        [sys.executable, "-c", CHILD.format(limit=LIMIT), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("REFUSED"), result.stdout
    assert "nested deeper" in result.stdout or "in one place" in result.stdout


def test_the_real_workbook_still_reads() -> None:
    rows, _kind, _detail = read_table(FIXTURE.read_bytes())
    assert len(rows) > 1
