"""Real scans of the project's own slips, made once per test session (issue 18).

The slips are printed to PDF by the program (services/printing), rendered to PNG by
pdftoppm at 150 and 300 dpi, turned a few degrees and given noise with Pillow, as a desk
scanner would return them. A second vault of another unit prints a slip with the same
number, and a blank noisy page carries no code at all.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PIL import Image

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.services.setup import UnitSetup
from secretdesk.system.clock import FixedClock
from tests.helpers import CLI_NOW, PASSPHRASE, new_app

OTHER_UNIT = UnitSetup(
    name="Sở Y tế tỉnh Quảng Ngãi", code="SYT-QNG", superior_body="UBND tỉnh", place="Quảng Ngãi"
)


@dataclass(frozen=True)
class ScanSet:
    vault: Path  # a closed vault with handovers 1/2026 .. N/2026 open and their slips printed
    slips: list[bytes]  # the printed slip PDFs, by handover number - 1
    folder: Path  # the scans below

    def copy_vault(self, target: Path) -> Path:
        shutil.copytree(self.vault, target)
        return target

    def open(self, data_dir: Path) -> App:
        return app_module.unlock(data_dir, "admin", PASSPHRASE, FixedClock(CLI_NOW))


def render(pdf: Path, dpi: int, stem: Path) -> Image.Image:
    """The first page of ``pdf`` as pdftoppm renders it at ``dpi`` (a PNG file)."""
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(pdf), str(stem)],
        check=True,
        timeout=60,
    )
    with Image.open(stem.with_suffix(".png")) as image:
        return image.copy()


def scanned(page: Image.Image, degrees: float, noise: float, seed: int = 0) -> Image.Image:
    """A page as a scanner returns it: turned a little, grey, with sensor noise."""
    grey = page.convert("L").rotate(
        degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
    )
    speckle = Image.effect_noise(grey.size, 60 + seed % 7)
    return Image.blend(grey, speckle, noise)


def encoded(image: Image.Image, form: str) -> bytes:
    out = io.BytesIO()
    image.save(out, format=form, **({"quality": 80} if form == "JPEG" else {}))
    return out.getvalue()


def slips_vault(data_dir: Path, handovers: int, unit: UnitSetup | None = None) -> list[bytes]:
    """A vault with ``handovers`` open dispatches, each slip printed; returns the PDFs."""
    clock = FixedClock(CLI_NOW)
    if unit is None:
        opened, _ = new_app(data_dir, clock)
    else:
        from secretdesk.crypto.kdf import TEST_PARAMS

        opened, _ = app_module.create(
            data_dir, unit, "admin", PASSPHRASE, params=TEST_PARAMS, clock=clock
        )
    with opened:
        item = opened.items.register(
            Registration(Direction.OUTGOING, Level.MAT, "5/QĐ-STP", date(2026, 10, 1), handovers)
        )
        copies = [c.id for c in opened.items.show(item.id).copies]
        pdfs = []
        for copy_id in copies:
            handover = opened.handovers.create(
                "dispatch", [copy_id], recipient_body="Công an tỉnh Quảng Ngãi"
            )
            pdfs.append(opened.printing.slip(handover.year, handover.number))
    return pdfs


def make_scan_set(root: Path, handovers: int = 4) -> ScanSet:
    vault = root / "vault"
    slips = slips_vault(vault, handovers)
    folder = root / "scans"
    folder.mkdir()
    pdfs = []
    for number, pdf in enumerate(slips, start=1):
        path = root / f"slip-{number}.pdf"
        path.write_bytes(pdf)
        pdfs.append(path)
    # 1/2026 at 150 dpi, turned 3 degrees, noisy PNG; 2/2026 at 300 dpi, -2 degrees, JPEG;
    # 3/2026 at 150 dpi, 1.5 degrees, TIFF; 4/2026 the printed PDF itself.
    page = render(pdfs[0], 150, root / "r150-1")
    (folder / "slip-1.png").write_bytes(encoded(scanned(page, 3, 0.25), "PNG"))
    page = render(pdfs[1], 300, root / "r300-2")
    (folder / "slip-2.jpg").write_bytes(encoded(scanned(page, -2, 0.2, 1), "JPEG"))
    page = render(pdfs[2], 150, root / "r150-3")
    (folder / "slip-3.tif").write_bytes(encoded(scanned(page, 1.5, 0.15, 2), "TIFF"))
    if handovers > 3:
        shutil.copy(pdfs[3], folder / "slip-4.pdf")
    # A page with no code: a blank sheet through the same scanner.
    blank = Image.new("L", page.size, 255)
    (root / "blank.png").write_bytes(encoded(scanned(blank, 2, 0.25), "PNG"))
    # Handover 1/2026 of another unit: a real slip, same number, another chain.
    other = slips_vault(root / "other", 1, OTHER_UNIT)[0]
    (root / "other.pdf").write_bytes(other)
    page = render(root / "other.pdf", 150, root / "r150-other")
    (root / "other-unit.png").write_bytes(encoded(scanned(page, -1, 0.2), "PNG"))
    return ScanSet(vault, slips, folder)


_MADE: dict[str, ScanSet] = {}


def shared_scan_set(factory: object) -> ScanSet:
    """The one scan set of this test session (CLI and GUI tests share it; it takes seconds)."""
    if "scans" not in _MADE:
        _MADE["scans"] = make_scan_set(factory.mktemp("scans"))  # type: ignore[attr-defined]
    return _MADE["scans"]
