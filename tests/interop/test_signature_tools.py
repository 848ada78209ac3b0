"""Packages checked by the real tools (Debian packages minisign, signify-openbsd, coreutils).

CI always installs the tools, so a missing tool fails these tests instead of skipping them.
The other direction is checked too: signatures made by the real tools verify with our code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from secretdesk.crypto import minisign, signify
from secretdesk.crypto.signing import UnitKey, generate_unit_key
from secretdesk.transfer.layout import format_trusted_comment
from secretdesk.transfer.package import write_package

KEY = generate_unit_key()
OTHER = generate_unit_key()
COMMENT = format_trusted_comment(
    {"unit": "UBND01", "kind": "annual", "period": "2026", "seq": 3, "head": "42:abcd"}
)
FILES = {
    "report.pdf": b"%PDF-1.4\n% placeholder\n%%EOF\n",
    "report.json": b'{"format_version": 1}\n',
    "checkpoint.txt": b"seq=42\n",
}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "packages"

MINISIGN = ["minisign", "-Vm", "SHA256SUMS", "-p", "unit.pub"]
MINISIGN_PREHASHED = ["minisign", "-VHm", "SHA256SUMS", "-p", "unit.pub"]
SHA256SUM = ["sha256sum", "-c", "SHA256SUMS"]
SIGNIFY = ["signify-openbsd", "-C", "-p", "unit.pub", "-x", "SHA256.sig"]


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C"}
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=30, check=False
    )


def write(parent: Path, key: UnitKey = KEY) -> Path:
    name = "SecretDesk_UBND01_annual_2026_3"
    return write_package(parent, name, FILES, key, COMMENT, unit_pub_comment="SecretDesk unit")


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return write(tmp_path)


@pytest.mark.parametrize("command", [MINISIGN, MINISIGN_PREHASHED, SHA256SUM, SIGNIFY])
def test_tools_accept_a_written_package(package: Path, command: list[str]) -> None:
    result = run(command, package)
    assert result.returncode == 0, result.stdout + result.stderr


def test_minisign_shows_the_trusted_comment(package: Path) -> None:
    result = run(MINISIGN, package)
    assert f"Trusted comment: {COMMENT}" in result.stdout


def test_signify_checks_every_listed_file(package: Path) -> None:
    result = run(SIGNIFY, package)
    for name in (*FILES, "unit.pub"):
        assert f"{name}: OK" in result.stdout


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _edit_comment(folder: Path) -> None:
    path = folder / "SHA256SUMS.minisig"
    path.write_text(path.read_text().replace("seq=3", "seq=4"))


def _edit_list(folder: Path) -> None:
    path = folder / "SHA256SUMS"
    path.write_bytes(path.read_bytes().replace(b"(report.json)", b"(report.jsn)"))


def _swap_key(folder: Path) -> None:
    (folder / "unit.pub").write_text(minisign.public_key_file(OTHER, "another unit"))


def _edit_embedded_list(folder: Path) -> None:
    path = folder / "SHA256.sig"
    path.write_bytes(path.read_bytes().replace(b"(report.json)", b"(report.jsn)"))


TAMPERED = {
    "minisign: list edited": (MINISIGN, _edit_list),
    "minisign: trusted comment edited": (MINISIGN, _edit_comment),
    "minisign: signature flipped": (MINISIGN, lambda f: _flip(f / "SHA256SUMS.minisig")),
    "minisign: key swapped": (MINISIGN, _swap_key),
    "sha256sum: report flipped": (SHA256SUM, lambda f: _flip(f / "report.pdf")),
    "sha256sum: report removed": (SHA256SUM, lambda f: (f / "report.json").unlink()),
    "signify: report flipped": (SIGNIFY, lambda f: _flip(f / "report.pdf")),
    "signify: report removed": (SIGNIFY, lambda f: (f / "report.json").unlink()),
    "signify: embedded list edited": (SIGNIFY, _edit_embedded_list),
    "signify: key swapped": (SIGNIFY, _swap_key),
}


@pytest.mark.parametrize("case", sorted(TAMPERED))
def test_tools_reject_a_tampered_copy(package: Path, tmp_path: Path, case: str) -> None:
    command, tamper = TAMPERED[case]
    copy = Path(shutil.copytree(package, tmp_path / "copy"))
    assert run(command, copy).returncode == 0
    tamper(copy)
    result = run(command, copy)
    assert result.returncode != 0, result.stdout + result.stderr


def test_tools_reject_a_package_signed_by_another_key_when_given_the_pinned_key(
    tmp_path: Path,
) -> None:
    swapped = write(tmp_path, key=OTHER)
    (tmp_path / "pinned.pub").write_text(minisign.public_key_file(KEY, "pinned"))
    pinned_minisign = ["minisign", "-Vm", "SHA256SUMS", "-p", "../pinned.pub"]
    pinned_signify = ["signify-openbsd", "-C", "-p", "../pinned.pub", "-x", "SHA256.sig"]
    assert run(pinned_minisign, swapped).returncode != 0
    assert run(pinned_signify, swapped).returncode != 0


def test_committed_fixtures_with_the_real_tools() -> None:
    for command in (MINISIGN, SHA256SUM, SIGNIFY):
        assert run(command, FIXTURES / "valid").returncode == 0, command
    assert run(MINISIGN, FIXTURES / "comment-edited").returncode != 0
    assert run(SHA256SUM, FIXTURES / "byte-flipped").returncode != 0
    assert run(SIGNIFY, FIXTURES / "byte-flipped").returncode != 0
    assert run(SIGNIFY, FIXTURES / "file-removed").returncode != 0


def test_real_minisign_signatures_verify_with_our_code(tmp_path: Path) -> None:
    keygen = ["minisign", "-G", "-W", "-p", "tool.pub", "-s", "tool.key"]
    assert run(keygen, tmp_path).returncode == 0
    (tmp_path / "data.txt").write_bytes(b"SHA256 (a) = " + b"0" * 64 + b"\n")
    sign = ["minisign", "-S", "-s", "tool.key", "-m", "data.txt", "-t", "unit=TOOL seq=1"]
    assert run(sign, tmp_path).returncode == 0
    public_key_text = (tmp_path / "tool.pub").read_text()
    signature = (tmp_path / "data.txt.minisig").read_text()
    data = (tmp_path / "data.txt").read_bytes()
    assert minisign.verify(public_key_text, data, signature) == "unit=TOOL seq=1"
    with pytest.raises(minisign.BadSignature):
        minisign.verify(public_key_text, data + b"x", signature)


def test_real_signify_embedded_signatures_verify_with_our_code(tmp_path: Path) -> None:
    keygen = ["signify-openbsd", "-G", "-n", "-p", "tool.pub", "-s", "tool.sec"]
    assert run(keygen, tmp_path).returncode == 0
    message = b"SHA256 (a) = " + b"0" * 64 + b"\n"
    (tmp_path / "list").write_bytes(message)
    sign = ["signify-openbsd", "-S", "-e", "-s", "tool.sec", "-m", "list", "-x", "list.sig"]
    assert run(sign, tmp_path).returncode == 0
    public_key_text = (tmp_path / "tool.pub").read_text()
    blob = (tmp_path / "list.sig").read_bytes()
    assert signify.verify_embedded(public_key_text, blob) == message
    with pytest.raises(minisign.KeyMismatch):
        signify.verify_embedded(minisign.public_key_file(KEY, "x"), blob)
