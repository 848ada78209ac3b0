"""Attacks on the scan listing of report.json (issue 18) by whoever holds the unit key: a
package signed again with the unit's own key, its listing changed in ways the per-file checks
alone would not see."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from secretdesk.services.exports.verify import verify_folder
from tests.integration.test_scan_listing import exported, forge, scans  # noqa: F401
from tests.integration.two_vaults import OFFICE, create, trust
from tests.scan_samples import ScanSet


def listed_twice_with_another_hash(report: dict[str, Any], files: dict[str, bytes]) -> None:
    """The first scan listed a second time, first with a hash that is not the file's: a
    listing keyed by file name keeps only the last entry and never sees the false one."""
    genuine = report["scans"][0]
    report["scans"].insert(0, {**genuine, "sha256": "0" * 64, "name": "other.png"})


def listed_twice_alike(report: dict[str, Any], files: dict[str, bytes]) -> None:
    report["scans"].append(dict(report["scans"][0]))


@pytest.mark.parametrize("change", [listed_twice_with_another_hash, listed_twice_alike])
def test_a_scan_listed_twice_is_refused(
    exported: tuple[Path, Path, Any],  # noqa: F811
    tmp_path: Path,
    change: Any,
) -> None:
    package, _vault, key = exported
    forged = forge(package, tmp_path / "stick", key, change)
    verdict = verify_folder(forged)
    assert not verdict.ok
    assert [(p.code, p.render("en")) for p in verdict.problems] == [
        ("package.scan_listed_twice", "report.json lists the scan scan-1-handover.png twice.")
    ]
    assert "report.json liệt kê bản quét scan-1-handover.png hai lần." in [
        p.render("vi") for p in verdict.problems
    ]


def test_the_office_refuses_a_scan_listed_twice(
    exported: tuple[Path, Path, Any],  # noqa: F811
    tmp_path: Path,
    scans: ScanSet,  # noqa: F811
) -> None:
    package, vault, key = exported
    forged = forge(package, tmp_path / "forged", key, listed_twice_with_another_hash)
    office = create(tmp_path / "office", OFFICE)
    try:
        with scans.open(vault) as opened:
            trust(office, opened)
        (refused,) = office.office.import_packages([forged])
        assert not refused.accepted and refused.reason is not None
        assert refused.reason.code == "office.package_invalid"
    finally:
        office.close()


def with_payloads(report: dict[str, Any], files: dict[str, bytes]) -> None:
    """Files no SecretDesk export writes, listed in SHA256SUMS and signed: an executable and
    a PDF named like a report, which a reader at the office might open as the unit's."""
    files["payload.exe"] = b"MZ\x90\x00" + bytes(60)
    files["report-final.pdf.exe"] = b"MZ\x90\x00" + bytes(60)


def test_a_signed_package_carrying_files_no_export_writes_is_refused(
    exported: tuple[Path, Path, Any],  # noqa: F811
    tmp_path: Path,
) -> None:
    package, _vault, key = exported
    forged = forge(package, tmp_path / "stick", key, with_payloads)
    verdict = verify_folder(forged)
    assert not verdict.ok
    assert [(p.code, p.render("en")) for p in verdict.problems] == [
        (
            "package.file_not_of_format",
            f"{name} is not a file a SecretDesk package (format version 1) carries.",
        )
        for name in ("payload.exe", "report-final.pdf.exe")
    ]
    # the genuine package, with its register, scans and PDFs, is not touched by the check
    assert verify_folder(package).ok
