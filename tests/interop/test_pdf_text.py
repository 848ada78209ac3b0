"""Printouts read back with the real poppler tools (poppler-utils): the text a reader extracts
is the Vietnamese exactly as entered, every page says "Trang x/y" with the right total, and
every page renders to a PNG that is not blank."""

from __future__ import annotations

import re
import struct
import subprocess
import unicodedata
import zlib
from pathlib import Path

import pytest

from tests import report_samples as samples

EXPECTED = {
    "register": [
        "SỔ ĐĂNG KÝ BÍ MẬT NHÀ NƯỚC ĐI",
        "Quyết định về việc kiện toàn Đội bảo vệ bí mật nhà nước",
        "Tuyệt mật",
        "Hỏa tốc",
        "Sở Tư pháp tỉnh Quảng Ngãi",
        "Trần Văn Đức",
        "ĐÃ HỦY",
        "(Không ghi trích yếu: chưa có ý kiến đồng ý của người có thẩm quyền xác định độ mật)",
        "Đầu chuỗi nhật ký: 4821:9f86d081884c7d65",
        "In lúc 09:45 ngày 20/11/2025, người in: Nguyễn Thị Hường",
    ],
    "slip": [
        "PHIẾU GỬI TÀI LIỆU, VẬT CHỨA BÍ MẬT NHÀ NƯỚC",
        "Sở Tư pháp tỉnh Quảng Ngãi",
        "Tuyệt mật",
        "Hỏa tốc",
        "Đỗ Minh Khuê",
        "Chỉ người có tên mới được bóc bì",
        "CUỐNG PHIẾU GỬI",
        "SDH1|2025|42|",
    ],
    "labels": [
        "TUYỆT MẬT",
        "HỎA TỐC",
        "Chỉ người có tên mới được bóc bì",
        "Đỗ Minh Khuê",
        "Sở Tư pháp tỉnh Quảng Ngãi",
        "Đội bảo vệ",
        "TÀI LIỆU THU HỒI",
        "BẢN SAO SỐ 2",
    ],
    "minutes": [
        "BIÊN BẢN",
        "Quyết định số 15/QĐ-STP",
        "Sở Tư pháp tỉnh Quảng Ngãi",
        "Tuyệt mật",
        "Chủ tịch Hội đồng",
        "Phạm Quốc Dũng",
        "Nghiền nát bằng máy hủy tài liệu",
    ],
    "permit": [
        "GIẤY PHÉP",
        "Ủy ban nhân dân tỉnh Quảng Ngãi",
        "Lê Đức Thắng",
        "Tối mật",
        "Đựng trong cặp có khóa",
    ],
    "inventory": [
        "DANH SÁCH KIỂM KÊ TÀI LIỆU, VẬT CHỨA BÍ MẬT NHÀ NƯỚC",
        "Tuyệt mật",
        "Đang lưu giữ",
        "Bị mất, lộ",
        "Không tìm thấy",
        "Nguyễn Thị Hường",
    ],
    "annual": [
        "BÁO CÁO CÔNG TÁC BẢO VỆ BÍ MẬT NHÀ NƯỚC",
        "Đội bảo vệ chưa cập nhật sổ chuyển giao trong tháng 3.",
        "Tuyệt mật",
        "Đăng ký bí mật nhà nước đi",
        "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0=",
    ],
}
NEVER = {"register": [samples.TOP_SECRET_SUMMARY]}


def run(*command: str) -> str:
    done = subprocess.run(command, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    paths = {}
    for name in samples.DOCUMENTS:
        path = folder / f"{name}.pdf"
        path.write_bytes(samples.render(name))
        paths[name] = path
    return paths


def pages_of(path: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)$", run("pdfinfo", str(path)), re.MULTILINE)
    assert match is not None
    return int(match.group(1))


@pytest.mark.parametrize("name", samples.DOCUMENTS)
def test_extracted_text_is_the_vietnamese_as_entered(name: str, pdfs: dict[str, Path]) -> None:
    raw = run("pdftotext", "-enc", "UTF-8", str(pdfs[name]), "-")
    # poppler gives back precomposed letters (checked here), so no normalisation is needed
    assert raw == unicodedata.normalize("NFC", raw)
    text = " ".join(raw.split())  # lines of a wrapped cell or paragraph are joined
    for expected in EXPECTED[name]:
        assert unicodedata.is_normalized("NFC", expected)
        assert expected in text, expected
    for secret in NEVER.get(name, []):
        assert secret not in text
    assert "\ufffd" not in raw  # no replacement characters


@pytest.mark.parametrize("name", [n for n in samples.DOCUMENTS if n != "labels"])
def test_every_page_footer_has_the_right_page_x_of_y(name: str, pdfs: dict[str, Path]) -> None:
    total = pages_of(pdfs[name])
    pages = run("pdftotext", "-enc", "UTF-8", str(pdfs[name]), "-").split("\f")
    assert len([page for page in pages if page.strip()]) == total
    for number in range(1, total + 1):
        assert f"Trang {number}/{total}" in pages[number - 1], (name, number)


def test_a_long_register_counts_its_pages(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    from secretdesk.reports.registers import render_register

    data = samples.register_data(rows=400)
    path.write_bytes(render_register(data, None, samples.STAMP, fonts=samples.fonts()))
    total = pages_of(path)
    assert total > 20
    pages = run("pdftotext", "-enc", "UTF-8", str(path), "-").split("\f")
    for number in (1, 2, total // 2, total):
        assert f"Trang {number}/{total}" in pages[number - 1]
    # the column headings are repeated on every page of entries
    for page in pages[1:total]:
        assert "trích yếu nội dung" in page


def read_png(path: Path) -> tuple[int, int, int]:
    """Width, height and compressed size of the image data; checks the PNG structure."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset, width, height, image = 8, 0, 0, b""
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset : offset + 8])
        body = data[offset + 8 : offset + 8 + length]
        assert struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])[0] == (
            zlib.crc32(kind + body)
        )
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            image += body
        offset += 12 + length
    zlib.decompress(image)  # the image data is intact
    return width, height, len(image)


def ink_fraction(pdf: Path, page: int, folder: Path) -> float:
    """Share of dark pixels of a page, from a tiny greyscale rendering (PGM, no decoder)."""
    prefix = folder / f"ink-{page}"
    subprocess.run(
        ["pdftoppm", "-r", "20", "-gray", "-f", str(page), "-l", str(page), str(pdf), str(prefix)],
        check=True,
    )
    (image,) = folder.glob(f"ink-{page}*.pgm")
    data = image.read_bytes()
    image.unlink()
    magic, width, height, maximum, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and int(maximum) == 255
    pixels = pixels[: int(width) * int(height)]
    return sum(1 for value in pixels if value < 160) / len(pixels)


@pytest.mark.parametrize("name", samples.DOCUMENTS)
def test_every_page_renders_to_a_png_that_is_not_blank(
    name: str, pdfs: dict[str, Path], tmp_path: Path
) -> None:
    total = pages_of(pdfs[name])
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdfs[name]), str(tmp_path / name)], check=True
    )
    images = sorted(tmp_path.glob(f"{name}-*.png"))
    assert len(images) == total
    blank = tmp_path / "blank.pdf"
    blank.write_bytes(blank_a4())
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(blank), str(tmp_path / "blank")], check=True
    )
    (blank_png,) = tmp_path.glob("blank-*.png")
    blank_size = read_png(blank_png)[2]
    for number, image in enumerate(images, start=1):
        width, height, size = read_png(image)
        short, long = sorted((width, height))
        assert abs(short - 496) <= 2 and abs(long - 702) <= 2  # A4 at 60 dpi
        assert size > 4 * blank_size, image
        assert ink_fraction(pdfs[name], number, tmp_path) > 0.002, image


def blank_a4() -> bytes:
    """A valid one-page PDF with nothing on the page: the size of a blank PNG."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595.28 841.89]>>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out
