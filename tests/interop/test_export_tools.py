"""An exported package checked by the real tools (minisign, sha256sum, signify, pdftotext).

CI always installs the tools (Debian packages minisign, signify-openbsd, coreutils,
poppler-utils), so a missing tool fails these tests instead of skipping them.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from secretdesk.app import App
from tests.helpers import UNIT, new_app


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, App]:
    base = tmp_path_factory.mktemp("export-tools")
    opened, _code = new_app(base / "vault")
    target = base / "stick"
    target.mkdir()
    result = opened.exports.export("annual", "2026", target, explicitly_chosen_folder=True)
    yield result.folder, opened
    opened.close()


def test_minisign_verifies_and_shows_the_signed_description(exported: tuple[Path, App]) -> None:
    folder, _opened = exported
    result = run(["minisign", "-Vm", "SHA256SUMS", "-p", "unit.pub"], folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Trusted comment: unit=STP-QNG kind=annual period=2026 seq=1 head=" in result.stdout


def test_sha256sum_checks_every_file(exported: tuple[Path, App]) -> None:
    folder, _opened = exported
    result = run(["sha256sum", "-c", "SHA256SUMS"], folder)
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("report.pdf", "report.json", "checkpoint.txt", "unit.pub"):
        assert f"{name}: OK" in result.stdout


def test_signify_verifies_the_embedded_signature_and_files(exported: tuple[Path, App]) -> None:
    folder, _opened = exported
    result = run(["signify-openbsd", "-C", "-p", "unit.pub", "-x", "SHA256.sig"], folder)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "report.pdf: OK" in result.stdout


def test_the_unit_key_pinned_by_the_office_is_the_one_the_tools_accept(
    exported: tuple[Path, App], tmp_path: Path
) -> None:
    folder, opened = exported
    pinned = tmp_path / "pinned.pub"
    pinned.write_text(opened.exports.public_key_text(), encoding="utf-8")
    result = run(["minisign", "-Vm", "SHA256SUMS", "-p", str(pinned)], folder)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_pdf_names_the_unit_in_vietnamese_and_prints_the_key(
    exported: tuple[Path, App],
) -> None:
    folder, opened = exported
    result = run(["pdftotext", "-enc", "UTF-8", "report.pdf", "-"], folder)
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())
    assert UNIT.name.upper() in text  # "SỞ TƯ PHÁP TỈNH QUẢNG NGÃI", as the form prints it
    assert opened.unit_info().key_fingerprint in text
