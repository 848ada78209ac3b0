"""report.json lists the scans a package carries (issue 18), and the verifier and the office
check that list against the files: a scan not listed, a listed scan missing, or one with
another SHA-256 or size is refused, even in a package validly signed with the unit's key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from secretdesk.services.exports import encode_report, unit_pub_comment
from secretdesk.services.exports.verify import verify_folder
from secretdesk.transfer.layout import CHECKSUMS, MINISIGN_SIGNATURE, SIGNIFY_SIGNATURE
from secretdesk.transfer.package import write_package
from tests.integration.two_vaults import OFFICE, create, trust, unit_key
from tests.scan_samples import ScanSet, shared_scan_set

SIGNATURES = (CHECKSUMS, MINISIGN_SIGNATURE, SIGNIFY_SIGNATURE)


@pytest.fixture(scope="session")
def scans(tmp_path_factory: pytest.TempPathFactory) -> ScanSet:
    return shared_scan_set(tmp_path_factory)


@pytest.fixture(scope="module")
def exported(scans: ScanSet, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    """(the package exported with scans, the vault, the unit key): handover 1/2026 closed
    by its scan, a destruction case with its minutes attached."""
    root = tmp_path_factory.mktemp("listing")
    vault = scans.copy_vault(root / "vault")
    slip = scans.folder / "slip-1.png"
    with scans.open(vault) as opened:
        scanned = opened.attachments.scan_back(
            slip.name, slip.read_bytes(), "Trần Thị Nhận", date(2026, 11, 2)
        )
        assert scanned.outcome == "matched"
        item = opened.items.register(_registration())
        (copy,) = opened.items.show(item.id).copies
        case = opened.destruction.emergency([copy.id], "Cháy kho", place="Kho")
        minutes = scans.folder / "slip-4.pdf"
        opened.attachments.add("destruction", case.label, "bien-ban.pdf", minutes.read_bytes())
        out = root / "stick"
        out.mkdir()
        package = opened.exports.export(
            "annual", "2026", out, explicitly_chosen_folder=True, with_scans=True
        ).folder
        key = unit_key(opened)
    return package, vault, key


def _registration() -> Any:
    from secretdesk.domain.items import Direction, Registration
    from secretdesk.domain.levels import Level

    return Registration(Direction.INCOMING, Level.MAT, "9/QĐ-STP", date(2026, 10, 1), 1)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_report_json_lists_each_scan_with_its_record_name_size_and_hash(
    exported: tuple[Path, Path, Any], scans: ScanSet
) -> None:
    package = exported[0]
    report = json.loads((package / "report.json").read_text(encoding="utf-8"))
    slip, minutes = scans.folder / "slip-1.png", scans.folder / "slip-4.pdf"
    assert report["scans"] == [
        {
            "file": "scan-1-handover.png",
            "record_kind": "handover",
            "record_ref": "1/2026",
            "name": "slip-1.png",
            "size": slip.stat().st_size,
            "sha256": digest(slip.read_bytes()),
        },
        {
            "file": "scan-2-destruction.pdf",
            "record_kind": "destruction",
            "record_ref": "1/2026",
            "name": "bien-ban.pdf",
            "size": minutes.stat().st_size,
            "sha256": digest(minutes.read_bytes()),
        },
    ]
    for entry in report["scans"]:
        assert digest((package / entry["file"]).read_bytes()) == entry["sha256"]
    assert verify_folder(package).ok


def test_a_package_without_scans_has_no_list(
    exported: tuple[Path, Path, Any], tmp_path: Path, scans: ScanSet
) -> None:
    vault = exported[1]
    out = tmp_path / "plain"
    out.mkdir()
    with scans.open(vault) as opened:
        package = opened.exports.export("annual", "2026", out, explicitly_chosen_folder=True).folder
    report = json.loads((package / "report.json").read_text(encoding="utf-8"))
    assert "scans" not in report
    assert verify_folder(package).ok


def forge(
    genuine: Path, out: Path, key: Any, change: Callable[[dict[str, Any], dict[str, bytes]], None]
) -> Path:
    """The genuine package with report.json or its files changed, signed again with the
    unit's own key: only the check of the scan list can tell."""
    files = {
        p.name: p.read_bytes()
        for p in genuine.iterdir()
        if p.name not in SIGNATURES and p.name != "unit.pub"
    }
    report = json.loads(files["report.json"])
    change(report, files)
    files["report.json"] = encode_report(report)
    minisig = (genuine / MINISIGN_SIGNATURE).read_text(encoding="utf-8").splitlines()
    comment = next(line for line in minisig if line.startswith("trusted comment: "))
    out.mkdir(exist_ok=True)
    unit = json.loads((genuine / "report.json").read_text(encoding="utf-8"))["unit"]
    return write_package(
        out,
        genuine.name,
        files,
        key,
        comment.removeprefix("trusted comment: "),
        unit_pub_comment=unit_pub_comment(unit["code"], unit["name"]),
    )


def drop_file(report: dict[str, Any], files: dict[str, bytes]) -> None:
    del files["scan-2-destruction.pdf"]


def add_unlisted(report: dict[str, Any], files: dict[str, bytes]) -> None:
    files["scan-9-handover.png"] = files["scan-1-handover.png"]


def unlist(report: dict[str, Any], files: dict[str, bytes]) -> None:
    report["scans"] = report["scans"][:1]


def other_hash(report: dict[str, Any], files: dict[str, bytes]) -> None:
    report["scans"][0]["sha256"] = "0" * 64


def other_file(report: dict[str, Any], files: dict[str, bytes]) -> None:
    files["scan-1-handover.png"] = files["scan-1-handover.png"][:-1] + b"\x00"


def other_size(report: dict[str, Any], files: dict[str, bytes]) -> None:
    report["scans"][1]["size"] += 1


CASES = {
    "a listed scan missing": (
        drop_file,
        "package.scan_missing",
        "report.json lists the scan scan-2-destruction.pdf, which is not in the package.",
    ),
    "a scan file not listed": (
        add_unlisted,
        "package.scan_not_listed",
        "scan-9-handover.png is a scan in the package that report.json does not list.",
    ),
    "a listed scan taken off the list": (
        unlist,
        "package.scan_not_listed",
        "scan-2-destruction.pdf is a scan in the package that report.json does not list.",
    ),
    "another hash listed": (
        other_hash,
        "package.scan_hash_differs",
        "scan-1-handover.png does not have the SHA-256 that report.json lists for it.",
    ),
    "the scan itself changed": (
        other_file,
        "package.scan_hash_differs",
        "scan-1-handover.png does not have the SHA-256 that report.json lists for it.",
    ),
    "another size listed": (
        other_size,
        "package.scan_size_differs",
        "scan-2-destruction.pdf does not have the size that report.json lists for it"
        " ({size} found, {listed} listed).",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_validly_signed_package_whose_scans_disagree_with_the_list_is_refused(
    exported: tuple[Path, Path, Any], tmp_path: Path, scans: ScanSet, case: str
) -> None:
    package, _vault, key = exported
    change, code, message = CASES[case]
    forged = forge(package, tmp_path / "stick", key, change)
    verdict = verify_folder(forged)
    assert not verdict.ok
    size = (scans.folder / "slip-4.pdf").stat().st_size
    assert [(p.code, p.render("en")) for p in verdict.problems] == [
        (code, message.format(size=size, listed=size + 1))
    ]


def test_the_office_accepts_the_genuine_package_and_refuses_a_forged_list(
    exported: tuple[Path, Path, Any], tmp_path: Path, scans: ScanSet
) -> None:
    package, vault, key = exported
    forged = forge(package, tmp_path / "forged", key, unlist)
    office = create(tmp_path / "office", OFFICE)
    try:
        with scans.open(vault) as opened:
            trust(office, opened)
        (refused,) = office.office.import_packages([forged])
        assert not refused.accepted and refused.reason is not None
        assert refused.reason.code == "office.package_invalid"
        assert (
            "scan-2-destruction.pdf là một bản quét trong gói dữ liệu nhưng report.json "
            "không liệt kê." in refused.reason.render("vi")
        ), refused.reason.render("vi")
        (accepted,) = office.office.import_packages([package])
        assert accepted.accepted, accepted.reason
    finally:
        office.close()
