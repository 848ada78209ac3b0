"""Check that a scan is a readable image or PDF, and read the QR codes printed on it."""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from secretdesk.domain.attachments import PDF
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_

MAX_PDF_PAGES = 50  # pages searched for a code; a slip is one or two
_RENDER_DPI = 200
# A page is searched for a code at 200 dpi up to this many pixels (A1 is 31 million): a PDF
# page can be 5 m wide in a 1 KB file, and rendered whole it would take gigabytes.
MAX_RENDER_PIXELS = 32_000_000


class UnreadableScan(SecretDeskError):
    code = "attachment.unreadable"
    message = N_("{name} cannot be read as {kind}: {detail}.")


def check_readable(name: str, data: bytes, media_type: str) -> None:
    """Open the file with its reader: Pillow verifies an image, PDFium opens a PDF."""
    kind = "PDF" if media_type == PDF else media_type.split("/")[1].upper()
    try:
        if media_type == PDF:
            import pypdfium2

            document = pypdfium2.PdfDocument(data)
            try:
                if len(document) == 0:
                    raise ValueError("no page")
            finally:
                document.close()
            return
        from PIL import Image

        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
    except SecretDeskError:
        raise
    except Exception as error:  # every reader's own failure is the same refusal
        raise UnreadableScan(
            name=name, kind=kind, detail=str(error)[:120] or type(error).__name__
        ) from None


def _pages(data: bytes, media_type: str) -> Iterator[object]:
    if media_type == PDF:
        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        try:
            for index in range(min(len(document), MAX_PDF_PAGES)):
                page = document[index]
                width, height = page.get_size()
                scale = _RENDER_DPI / 72
                if width * height * scale * scale > MAX_RENDER_PIXELS:
                    scale = math.sqrt(MAX_RENDER_PIXELS / (width * height)) * 0.999
                bitmap = page.render(scale=scale, grayscale=True)
                yield bitmap.to_pil()
                page.close()
        finally:
            document.close()
        return
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(data)) as image:
            for frame in range(min(getattr(image, "n_frames", 1), MAX_PDF_PAGES)):
                image.seek(frame)
                yield image.convert("L")


def read_codes(name: str, data: bytes, media_type: str) -> list[str]:
    """The texts of the QR codes found on the scan, page by page (empty when there is none)."""
    import zxingcpp

    check_readable(name, data, media_type)
    texts: list[str] = []
    try:
        for page in _pages(data, media_type):
            for barcode in zxingcpp.read_barcodes(
                page,
                formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode),
                try_rotate=True,
            ):
                if barcode.valid and barcode.text and barcode.text not in texts:
                    texts.append(barcode.text)
    except SecretDeskError:
        raise
    except Exception as error:
        kind = "PDF" if media_type == PDF else media_type.split("/")[1].upper()
        raise UnreadableScan(name=name, kind=kind, detail=str(error)[:120]) from None
    return texts


@dataclass(frozen=True)
class Preview:
    """The first page of a scan as RGB pixels (rendered by Pillow or PDFium, never by Qt)."""

    width: int
    height: int
    rgb: bytes  # width * height * 3 bytes, rows top to bottom
    pages: int


def render_preview(name: str, data: bytes, media_type: str, max_side: int = 1400) -> Preview:
    """The first page, scaled to fit ``max_side`` pixels: Pillow for images, PDFium for PDF."""
    check_readable(name, data, media_type)
    try:
        if media_type == PDF:
            import pypdfium2

            document = pypdfium2.PdfDocument(data)
            try:
                pages = len(document)
                page = document[0]
                width, height = page.get_size()
                bitmap = page.render(scale=max_side / max(width, height, 1))
                image = bitmap.to_pil().convert("RGB")
                page.close()
            finally:
                document.close()
        else:
            from PIL import Image

            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as opened:
                    pages = getattr(opened, "n_frames", 1)
                    opened.seek(0)
                    width, height = opened.size
                    longer = max(width, height, 1)
                    wanted = (
                        max(1, width * max_side // longer),
                        max(1, height * max_side // longer),
                    )
                    opened.draft("RGB", wanted)  # a JPEG is decoded at a smaller scale
                    image = opened.convert("RGB")
            image.thumbnail((max_side, max_side))
    except SecretDeskError:
        raise
    except Exception as error:
        kind = "PDF" if media_type == PDF else media_type.split("/")[1].upper()
        raise UnreadableScan(name=name, kind=kind, detail=str(error)[:120]) from None
    return Preview(image.width, image.height, image.tobytes(), pages)
