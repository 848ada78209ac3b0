"""Unit key rotation through the CLI, checked by the stock tools (minisign, signify, sha256sum).

The unit rotates its key on demand (countersigned); the next package is signed by the new key
and carries the statement the old key signed; minisign checks both with the stock program.
The office pins the new key with `office rotate CODE DIR --fingerprint` from the paper.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from tests.helpers import PASSPHRASE, new_app, run_cli
from tests.integration.test_office import OFFICE, create

HEAD_PASS = "head passphrase long"
ENV = {"SECRETDESK_PASSPHRASE": PASSPHRASE}


def cli(data: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = run_cli(
        "--lang",
        "en",
        "--data-dir",
        str(data),
        "--user",
        "admin",
        *args,
        env={**ENV, **(env or {})},
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def tool(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_rotate_on_demand_then_the_office_pins_the_new_key(tmp_path: Path) -> None:
    assert TEST_PARAMS  # the vaults below use the cheap test parameters
    opened, _code = new_app(tmp_path / "unit")
    opened.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
    old_pub = tmp_path / "old.pub"
    old_pub.write_text(opened.exports.public_key_text(), encoding="utf-8")
    old_fingerprint = opened.unit_info().key_fingerprint
    opened.close()
    office = create(tmp_path / "office", OFFICE)
    office.office.trust(old_pub.read_text("utf-8"), old_fingerprint, code="STP-QNG")
    office.close()
    stick = tmp_path / "stick"
    stick.mkdir()
    unit = tmp_path / "unit"

    code, _out, err = cli(unit, "unit-key", "rotate", "--reason", "yearly")
    assert code == 2 and "--approver" in err
    approver = {"SECRETDESK_APPROVER_PASSPHRASE": HEAD_PASS}
    code, out, err = cli(unit, "--json", "unit-key", "rotate", "--approver", "head", env=approver)
    assert code == 0, err
    rotated = json.loads(out)
    assert rotated["from_seq"] == 1 and rotated["fingerprint"] != old_fingerprint
    code, out, err = cli(
        unit,
        "--json",
        "export",
        "--kind",
        "annual",
        "--period",
        "2026",
        "--to",
        str(stick),
        "--folder",
    )
    assert code == 0, err
    package = next(stick.iterdir())

    # Stock tools: the package under its new key, the statement under the old one.
    result = tool(["minisign", "-Vm", "SHA256SUMS", "-p", "unit.pub"], package)
    assert result.returncode == 0, result.stderr
    result = tool(["signify-openbsd", "-C", "-p", "unit.pub", "-x", "SHA256.sig"], package)
    assert result.returncode == 0 and "key-rotation.json: OK" in result.stdout, result.stderr
    result = tool(["minisign", "-Vm", "key-rotation.json", "-p", str(old_pub)], package)
    assert result.returncode == 0, result.stderr
    new_compact = rotated["fingerprint"].replace(" ", "")
    assert f"unit=STP-QNG from_seq=1 new_key={new_compact}" in result.stdout
    text = tool(["pdftotext", "-enc", "UTF-8", "report.pdf", "-"], package).stdout
    assert new_compact[:4] in text and "thay kể từ gói số 1" in " ".join(text.split())

    office_dir = tmp_path / "office"
    code, out, err = cli(office_dir, "office", "import", str(package))
    assert code == 1 and "office rotate" in out + err
    code, _out, err = cli(
        office_dir, "office", "rotate", "STP-QNG", str(package), "--fingerprint", old_fingerprint
    )
    assert code == 1 and "is not the fingerprint of this key" in err
    code, out, err = cli(
        office_dir,
        "office",
        "rotate",
        "STP-QNG",
        str(package),
        "--fingerprint",
        rotated["fingerprint"].lower(),
    )
    assert code == 0, err
    assert "New key of unit STP-QNG pinned" in out
    code, out, err = cli(office_dir, "office", "import", str(package))
    assert code == 0, err
