"""Evidence on the handovers page (issue 18), on a real vault with real scans of its slips:
attach a scan, list it and save a copy, a refused file shown next to its field with nothing
changed, and a scanner's folder scanned back with one outcome per file."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from secretdesk import i18n
from secretdesk.gui.dialogs.evidence import AttachScanDialog, ScanBatchDialog
from secretdesk.gui.dialogs.scans_window import ScansWindow
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.views.handovers_page import HandoversPage
from tests.scan_samples import ScanSet, shared_scan_set


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory) -> ScanSet:
    return shared_scan_set(tmp_path_factory)


@pytest.fixture
def vi() -> Iterator[None]:
    i18n.set_language("vi")
    yield
    i18n.set_language("en")


def make_page(qtbot: Any, runner: TaskRunner, session: Any) -> HandoversPage:
    page = HandoversPage(runner, session)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    return page


@pytest.fixture
def page(qtbot: Any, runner: TaskRunner, scans: ScanSet, open_session: Any) -> HandoversPage:
    return make_page(qtbot, runner, open_session(scans.vault))


def attach(qtbot: Any, page: HandoversPage, number: int, path: Path) -> AttachScanDialog:
    page.select_handover(handover_id(page, number))
    page.attach_scan()
    dialog = page.dialog
    assert isinstance(dialog, AttachScanDialog)
    dialog.path.setText(str(path))
    return dialog


def handover_id(page: HandoversPage, number: int) -> int:
    for row in range(page.model.rowCount()):
        handover = page.model.handover_at(row)
        if handover.number == number:
            return int(handover.id)
    raise AssertionError(f"handover {number} is not listed")


def test_an_attached_scan_is_listed_with_its_hash_and_a_copy_saves_the_same_bytes(
    qtbot: Any, page: HandoversPage, scans: ScanSet, tmp_path: Path
) -> None:
    scan = scans.folder / "slip-2.jpg"
    dialog = attach(qtbot, page, 2, scan)
    with qtbot.waitSignal(dialog.succeeded, timeout=10000):
        dialog.ok_button.click()
    page.show_scans()
    window = page.dialog
    assert isinstance(window, ScansWindow)
    listing = window.panel
    qtbot.waitUntil(lambda: listing.table.rowCount() == 1, timeout=5000)
    digest = hashlib.sha256(scan.read_bytes()).hexdigest()
    assert listing.table.item(0, 0).text() == "slip-2.jpg"
    assert listing.table.item(0, 2).text() == digest[:12] + "…"
    assert listing.table.item(0, 3).text().endswith(", admin")
    out = tmp_path / "copy.jpg"
    listing.choose_save = lambda *_args: out
    listing.save_copy()
    qtbot.waitUntil(out.exists, timeout=5000)
    qtbot.waitUntil(lambda: str(out) in listing.status.text(), timeout=5000)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == digest


@pytest.mark.usefixtures("vi")
def test_a_text_file_named_png_is_refused_next_to_the_file_field_and_nothing_is_kept(
    qtbot: Any, page: HandoversPage, tmp_path: Path
) -> None:
    fake = tmp_path / "biên bản.png"
    fake.write_text("không phải ảnh", encoding="utf-8")
    dialog = attach(qtbot, page, 1, fake)
    with qtbot.waitSignal(dialog.refused, timeout=10000) as refused:
        dialog.ok_button.click()
    field, message = refused.args
    assert field == "file"
    assert message == "biên bản.png không phải là tệp PNG, dù tên tệp cho thấy như vậy."
    assert dialog.field_errors["file"].isVisible()
    assert dialog.isVisible()  # still open, to pick another file
    listed: list[Any] = []
    service = page.session.app.attachments
    page._runner.submit(lambda: service.list("handover", "1/2026"), listed.append)
    qtbot.waitUntil(lambda: bool(listed), timeout=5000)
    assert listed == [[]]


@pytest.mark.usefixtures("vi")
def test_a_wrong_kind_of_file_is_refused_in_vietnamese(
    qtbot: Any, page: HandoversPage, tmp_path: Path
) -> None:
    notes = tmp_path / "ghi chú.txt"
    notes.write_text("ghi chú", encoding="utf-8")
    dialog = attach(qtbot, page, 1, notes)
    with qtbot.waitSignal(dialog.refused, timeout=10000) as refused:
        dialog.ok_button.click()
    assert refused.args[0] == "file"
    assert refused.args[1].startswith("Không nhận ghi chú.txt: chỉ đính kèm được")


def run_batch(qtbot: Any, page: HandoversPage, folder: Path) -> ScanBatchDialog:
    page.scan_batch()
    dialog = page.dialog
    assert isinstance(dialog, ScanBatchDialog)
    dialog.folder.setText(str(folder))
    dialog.received_by.setText("Trần Thị Nhận")
    with qtbot.waitSignal(dialog.succeeded, timeout=60000):
        dialog.ok_button.click()
    return dialog


def outcomes(dialog: ScanBatchDialog) -> dict[str, str]:
    return {r.file: r.outcome.value for r in dialog.results}


def test_a_scanner_folder_is_scanned_back_with_one_outcome_per_file_and_counts(
    qtbot: Any, page: HandoversPage, scans: ScanSet, tmp_path: Path
) -> None:
    folder = tmp_path / "scanner"
    shutil.copytree(scans.folder, folder)
    root = scans.folder.parent
    shutil.copy(root / "blank.png", folder / "blank.png")
    shutil.copy(root / "other-unit.png", folder / "other-unit.png")
    (folder / "readme.txt").write_text("not a scan", encoding="utf-8")  # not even looked at
    dialog = run_batch(qtbot, page, folder)
    assert outcomes(dialog) == {
        "blank.png": "no_code",
        "other-unit.png": "forged",
        "slip-1.png": "matched",
        "slip-2.jpg": "matched",
        "slip-3.tif": "matched",
        "slip-4.pdf": "matched",
    }
    assert dialog.table.rowCount() == 6
    assert dialog.table.item(0, 1).text() == "no slip code found"
    assert dialog.counts.text() == (
        "6 files: matched, receipt recorded: 4; "
        "check does not match (altered, or a slip of another unit): 1; no slip code found: 1."
    )
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=5000)
    dialog.close()
    again = run_batch(qtbot, page, scans.folder)
    assert set(outcomes(again).values()) == {"already_closed"}


def test_an_empty_folder_is_refused_next_to_the_folder_field(
    qtbot: Any, page: HandoversPage, tmp_path: Path
) -> None:
    page.scan_batch()
    dialog = page.dialog
    assert isinstance(dialog, ScanBatchDialog)
    dialog.folder.setText(str(tmp_path))
    dialog.received_by.setText("Trần Thị Nhận")
    with qtbot.waitSignal(dialog.refused, timeout=5000) as refused:
        dialog.ok_button.click()
    assert refused.args == ["folder", "The folder holds no image or PDF file."]


@pytest.mark.usefixtures("vi")
def test_a_scan_over_the_size_cap_is_refused_next_to_the_file_field(
    qtbot: Any, page: HandoversPage, scans: ScanSet
) -> None:
    page.session.app.attachments.max_file_bytes = 1024 * 1024  # this vault's cap: 1 MiB
    dialog = attach(qtbot, page, 1, scans.folder / "slip-1.png")  # about 1.9 MiB
    with qtbot.waitSignal(dialog.refused, timeout=10000) as refused:
        dialog.ok_button.click()
    field, message = refused.args
    assert field == "file"
    size = f"{(scans.folder / 'slip-1.png').stat().st_size / (1024 * 1024):.1f}"
    assert (
        message == f"slip-1.png có dung lượng {size} MB; mỗi tệp đính kèm chỉ được tối đa 1.0 MB."
    )
    assert dialog.isVisible()


def test_the_evidence_buttons_wait_for_a_selected_handover(
    qtbot: Any, runner: TaskRunner, scans: ScanSet, open_session: Any
) -> None:
    session = open_session(scans.vault)
    page = make_page(qtbot, runner, session)
    assert page.attach_button.isVisibleTo(page) and page.batch_button.isVisibleTo(page)
    assert not page.attach_button.isEnabled()  # nothing selected yet
    page.select_handover(handover_id(page, 1))
    assert page.attach_button.isEnabled() and page.scans_button.isEnabled()
