"""Evidence an inspector can check (issue 18): scans in the vault, read back by their codes."""

from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.services.attachments import AttachmentService
from secretdesk.storage.sqlite import DatabaseError
from tests.helpers import PASSPHRASE, run_cli
from tests.scan_samples import ScanSet, shared_scan_set

ENV = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
AT = ["--received-by", "Trần Thị Nhận", "--at", "2026-11-02"]


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory) -> ScanSet:
    return shared_scan_set(tmp_path_factory)


@pytest.fixture
def vault(scans: ScanSet, tmp_path: Path) -> Path:
    return scans.copy_vault(tmp_path / "v")


def cli(vault: Path, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    return run_cli("--lang", lang, "--data-dir", str(vault), *args, env=ENV)


def events(scans: ScanSet, vault: Path, prefix: str = "") -> list:  # type: ignore[type-arg]
    with scans.open(vault) as opened:
        assert opened.audit.verify().ok
        return opened.audit.events(action_prefix=prefix) if prefix else opened.audit.events()


def test_scans_of_real_slips_are_read_back_matched_and_attached(
    scans: ScanSet, vault: Path
) -> None:
    files = sorted(scans.folder.iterdir())
    assert [f.suffix for f in files] == [".png", ".jpg", ".tif", ".pdf"]
    result = cli(vault, "--json", "handover", "scan", *map(str, files), *AT)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = json.loads(result.stdout)
    assert [(r["file"], r["outcome"], r["handover"]) for r in rows] == [
        ("slip-1.png", "matched", "1/2026"),
        ("slip-2.jpg", "matched", "2/2026"),
        ("slip-3.tif", "matched", "3/2026"),
        ("slip-4.pdf", "matched", "4/2026"),
    ]
    with scans.open(vault) as opened:
        for number, path in enumerate(files, start=1):
            handover = opened.handovers.find(2026, number)
            assert handover.status == "closed"
            assert handover.receipt_by == "Trần Thị Nhận"
            (kept,) = opened.attachments.list("handover", f"{number}/2026")
            assert kept.source == "scan"
            assert kept.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        added = opened.audit.events(action_prefix="attachment.added")
        assert [e.detail["sha256"] for e in added] == [
            hashlib.sha256(p.read_bytes()).hexdigest() for p in files
        ]
        # the receipt and its scan are one change: each scan's event follows its receipt
        receipts = opened.audit.events(action_prefix="handover.receipt")
        assert [e.seq + 1 for e in receipts] == [e.seq for e in added]
        assert opened.audit.verify().ok
    again = cli(vault, "handover", "scan", str(files[0]), *AT)
    assert again.returncode == 0
    assert "already closed" in again.stdout
    assert "1 of 1 scan matched or already closed." in again.stdout


def test_a_page_without_code_and_a_slip_of_another_unit_are_refused_and_change_nothing(
    scans: ScanSet, vault: Path
) -> None:
    root = scans.folder.parent
    fake = root / "not-really.png"
    fake.write_bytes(scans.slips[0])  # a PDF named as an image
    before = len(events(scans, vault))
    good = scans.folder / "slip-1.png"
    batch = [root / "blank.png", root / "other-unit.png", fake, good]
    result = cli(vault, "--json", "handover", "scan", *map(str, batch), *AT)
    assert result.returncode == 1
    rows = {r["file"]: r for r in json.loads(result.stdout)}
    assert rows["blank.png"]["outcome"] == "no_code"
    assert rows["other-unit.png"]["outcome"] == "forged"
    assert "does not match any printed slip of handover 1/2026" in rows["other-unit.png"]["detail"]
    assert rows["not-really.png"]["outcome"] == "refused"
    assert "not a PNG file" in rows["not-really.png"]["detail"]
    assert rows["slip-1.png"]["outcome"] == "matched"
    after = events(scans, vault)
    assert [e.action for e in after[before:]] == ["handover.receipt", "attachment.added"]
    text = cli(vault, "handover", "scan", str(root / "other-unit.png"), *AT, lang="vi")
    assert text.returncode == 1
    assert "phiếu của đơn vị khác" in text.stdout
    assert "0 trên 1 bản quét" in text.stdout


def test_attach_list_export_and_remove_keep_the_hash(
    scans: ScanSet, vault: Path, tmp_path: Path
) -> None:
    scan = scans.folder / "slip-2.jpg"
    digest = hashlib.sha256(scan.read_bytes()).hexdigest()
    added = cli(vault, "--json", "attach", "handover", "2/2026", str(scan))
    assert added.returncode == 0, added.stderr
    attachment = json.loads(added.stdout)
    assert attachment["sha256"] == digest and attachment["media_type"] == "image/jpeg"
    listed = cli(vault, "attach", "list", "handover", "2/2026")
    assert "slip-2.jpg" in listed.stdout and digest in listed.stdout
    out = tmp_path / "out" / "copy.jpg"
    out.parent.mkdir()
    exported = cli(vault, "attach", "export", str(attachment["id"]), "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes() == scan.read_bytes()
    assert out.stat().st_mode & 0o077 == 0  # private, like every file the program writes
    removed = cli(vault, "attach", "remove", str(attachment["id"]), "--reason", "bản trùng")
    assert removed.returncode == 0, removed.stderr
    assert digest in removed.stdout
    again = cli(vault, "attach", "export", str(attachment["id"]), "--out", str(out) + "2")
    assert again.returncode == 1
    assert "only its record and hash remain" in again.stderr
    with scans.open(vault) as opened:
        (row,) = opened.attachments.list("handover", "2/2026")
        assert row.removed and row.sha256 == digest and row.removed_reason == "bản trùng"
        gone = opened.audit.events(action_prefix="attachment.removed")[-1]
        assert gone.detail["sha256"] == digest and gone.detail["reason"] == "bản trùng"
        conn = opened.vault.connection
        kept = conn.execute(
            "SELECT COUNT(*) FROM attachment_chunk WHERE attachment_id = ?", (row.id,)
        )
        assert kept.fetchone()[0] == 0  # the bytes are gone
        with pytest.raises(DatabaseError):
            conn.execute("DELETE FROM attachment WHERE id = ?", (row.id,))
        with pytest.raises(DatabaseError):
            conn.execute("UPDATE attachment SET sha256 = ? WHERE id = ?", ("0" * 64, row.id))


def test_incident_destruction_and_permit_references(scans: ScanSet, vault: Path) -> None:
    pdf = scans.folder / "slip-4.pdf"
    with scans.open(vault) as opened:
        incident = opened.incidents.report(
            "tampering", "Bì thư bị bóc", reported_to="Giám đốc", copy_id=None
        )
    ok = cli(vault, "attach", "incident", str(incident.id), str(pdf))
    assert ok.returncode == 0, ok.stderr
    missing = cli(vault, "attach", "destruction", "9/2026", str(pdf))
    assert missing.returncode == 1 and "9/2026" in missing.stderr
    bad = cli(vault, "attach", "permit", "x/y", str(pdf))
    assert bad.returncode == 1 and "is not a reference such as 3/2026" in bad.stderr


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_files_that_are_not_what_they_say_or_too_large_are_refused(
    scans: ScanSet, vault: Path, tmp_path: Path, lang: str
) -> None:
    words = {
        "en": ("is not accepted", "is not a PDF file", "may be at most", "does not fit"),
        "vi": ("Không nhận", "không phải là tệp PDF", "chỉ được tối đa", "Không thể lưu"),
    }[lang]
    script = tmp_path / "run.exe"
    script.write_bytes(b"MZ\x90\x00")
    refused = cli(vault, "attach", "handover", "1/2026", str(script), lang=lang)
    assert refused.returncode == 1 and words[0] in refused.stderr
    liar = tmp_path / "minutes.pdf"
    liar.write_bytes((scans.folder / "slip-1.png").read_bytes())
    refused = cli(vault, "attach", "handover", "1/2026", str(liar), lang=lang)
    assert refused.returncode == 1 and words[1] in refused.stderr
    big = scans.folder / "slip-1.png"
    size = big.stat().st_size
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(AttachmentService, "max_file_bytes", size - 1)
        refused = cli(vault, "attach", "handover", "1/2026", str(big), lang=lang)
        assert refused.returncode == 1 and words[2] in refused.stderr
        patch.setattr(AttachmentService, "max_file_bytes", size * 4)
        patch.setattr(AttachmentService, "max_vault_bytes", size * 2)
        assert cli(vault, "attach", "handover", "1/2026", str(big)).returncode == 0
        assert cli(vault, "attach", "handover", "2/2026", str(big)).returncode == 0
        refused = cli(vault, "attach", "handover", "3/2026", str(big), lang=lang)
        assert refused.returncode == 1 and words[3] in refused.stderr
    assert len(events(scans, vault, "attachment.added")) == 2


def test_a_truncated_image_is_refused_by_its_reader(
    scans: ScanSet, vault: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.png"
    broken.write_bytes((scans.folder / "slip-1.png").read_bytes()[:2000])
    refused = cli(vault, "attach", "handover", "1/2026", str(broken))
    assert refused.returncode == 1 and "cannot be read as PNG" in refused.stderr


def test_inventory_and_annual_report_list_what_has_no_evidence(scans: ScanSet, vault: Path) -> None:
    assert cli(vault, "handover", "scan", str(scans.folder / "slip-1.png"), *AT).returncode == 0
    typed = cli(
        vault, "handover", "receipt", "2", "--received-by", "Lê Văn B", "--at", "2026-11-02"
    )
    assert typed.returncode == 0, typed.stderr
    with scans.open(vault) as opened:
        item = opened.items.register(
            Registration(Direction.OUTGOING, Level.MAT, "9/QĐ-STP", date(2026, 10, 1), 1)
        )
        (copy,) = opened.items.show(item.id).copies
        case = opened.destruction.emergency([copy.id], "Cháy kho, hủy khẩn cấp", place="Kho")
        gaps = opened.attachments.gaps(None, date(2026, 11, 2))
        assert gaps.handovers == ("2/2026",)  # 1/2026 came back as a scan
        assert gaps.destructions == (case.label,)
        inventory = opened.printing.inventory_data(date(2026, 11, 2))
        assert inventory.evidence_gaps == (
            "1 lần giao nhận đã nhận nhưng không có bản quét phiếu đã ký: 2/2026.",
            f"1 lần hủy không có bản quét biên bản đã ký: {case.label}.",
        )
        annual = opened.printing.annual_data(2026)
        assert set(inventory.evidence_gaps) <= set(annual.findings)
        opened.printing.inventory(date(2026, 11, 2))  # the page prints with the list
        assert gaps.lines("en")[0] == (
            "1 handover received without a scan of the signed slip: 2/2026."
        )
    minutes = scans.folder / "slip-4.pdf"
    assert cli(vault, "attach", "destruction", case.label, str(minutes)).returncode == 0
    with scans.open(vault) as opened:
        assert opened.attachments.gaps(None, date(2026, 11, 2)).destructions == ()
        assert opened.attachments.gaps(date(2026, 11, 3), date(2026, 12, 31)).handovers == ()


def test_export_packages_carry_the_scans_only_when_asked(
    scans: ScanSet, vault: Path, tmp_path: Path
) -> None:
    scan = scans.folder / "slip-1.png"
    assert cli(vault, "handover", "scan", str(scan), *AT).returncode == 0
    plain, carried = tmp_path / "plain", tmp_path / "carried"
    plain.mkdir()
    carried.mkdir()
    export = ("export", "--kind", "annual", "--period", "2026", "--folder", "--to")
    assert cli(vault, *export, str(plain)).returncode == 0
    assert not [p for p in next(plain.iterdir()).iterdir() if p.name.startswith("scan-")]
    result = cli(vault, *export, str(carried), "--with-scans")
    assert result.returncode == 0, result.stderr
    package = next(carried.iterdir())
    (copied,) = [p for p in package.iterdir() if p.name.startswith("scan-")]
    assert copied.name == "scan-1-handover.png" and copied.read_bytes() == scan.read_bytes()
    sums = (package / "SHA256SUMS").read_text()
    assert f"SHA256 ({copied.name}) = {hashlib.sha256(scan.read_bytes()).hexdigest()}" in sums
    verified = cli(vault, "verify", str(package))
    assert verified.returncode == 3, verified.stdout + verified.stderr  # intact, key not pinned
    assert verified.stdout.startswith("INTACT")
    check = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=package, capture_output=True, text=True
    )
    assert check.returncode == 0 and f"{copied.name}: OK" in check.stdout
    copied.write_bytes(copied.read_bytes()[:-1] + b"\x00")  # a scan altered on the stick
    assert cli(vault, "verify", str(package)).returncode == 1
    started = events(scans, vault, "export.started")[-1]
    assert started.detail["scans"] == {copied.name: hashlib.sha256(scan.read_bytes()).hexdigest()}
