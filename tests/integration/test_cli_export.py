"""Export, verify and the office commands through the real ``secretdesk`` program."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from secretdesk.cli.main import main
from secretdesk.services.exports import ExportService, verify_folder
from secretdesk.transfer import media
from tests.helpers import PASSPHRASE, run_cli
from tests.integration.two_vaults import JUSTICE, create

ENV = {"SECRETDESK_PASSPHRASE": PASSPHRASE}


def cli(data: Path, *args: str, lang: str = "en") -> tuple[int, str, str]:
    result = run_cli("--lang", lang, "--data-dir", str(data), *args, env=ENV)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def unit_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli-unit") / "vault"
    code, _out, err = cli(
        data,
        "init",
        "--unit-name",
        "Sở Tư pháp tỉnh Quảng Ngãi",
        "--unit-code",
        "STP-QNG",
        "--admin",
        "admin",
    )
    assert code == 0, err
    return data


def test_export_refuses_a_plain_folder_then_writes_a_package_that_verifies(
    unit_vault: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    target.mkdir()
    code, _out, err = cli(
        unit_vault, "export", "--kind", "annual", "--period", "2026", "--to", str(target)
    )
    assert code == 1
    assert "is not on a removable volume" in err and "--folder" in err
    assert list(target.iterdir()) == []
    code, _out, err = cli(
        unit_vault, "export", "--kind", "annual", "--period", "2026", "--to", str(target), lang="vi"
    )
    assert code == 1 and "không nằm trên thiết bị lưu trữ di động" in err

    code, out, err = cli(
        unit_vault,
        "--json",
        "export",
        "--kind",
        "annual",
        "--period",
        "2026",
        "--to",
        str(target),
        "--folder",
    )
    assert code == 0, err
    payload = json.loads(out)
    package = Path(payload["folder"])
    assert package.parent == target and package.name.startswith("SecretDesk_STP-QNG_annual_2026_")
    assert payload["removable"] is False and payload["eject_commands"] == []
    assert len(payload["key_fingerprint"].split()) == 16

    # without a pinned key: intact, but the output says it proves nothing about the origin
    code, out, _err = cli(unit_vault, "verify", str(package))
    assert code == 3  # signature valid, key not pinned
    assert out.startswith("INTACT:") and "WARNING: no pinned key" in out
    assert payload["key_fingerprint"] in out
    pinned = tmp_path / "STP-QNG.pub"
    shutil.copy(package / "unit.pub", pinned)
    code, out, _err = cli(unit_vault, "verify", str(package), "--key", str(pinned))
    assert code == 0 and out.startswith("VALID:")
    keyring = tmp_path / "keys"
    keyring.mkdir()
    shutil.copy(pinned, keyring / "STP-QNG.pub")
    code, out, _err = cli(unit_vault, "verify", str(package), "--keyring", str(keyring))
    assert code == 0 and "Signed with the key pinned for: STP-QNG" in out

    # every problem of a damaged package is listed, and the exit code says it failed
    (package / "report.json").write_text("{}", encoding="utf-8")
    (package / "notes.txt").write_text("added", encoding="utf-8")
    code, out, _err = cli(unit_vault, "--json", "verify", str(package), "--key", str(pinned))
    assert code == 1
    problems = {(p["code"], p["file"]) for p in json.loads(out)["problems"]}
    assert problems == {
        ("package.hash_mismatch", "report.json"),
        ("package.unexpected_file", "notes.txt"),
    }
    code, out, _err = cli(unit_vault, "verify", str(package), "--key", str(pinned), lang="vi")
    assert code == 1 and out.startswith("KHÔNG HỢP LỆ:")


def test_the_office_pins_imports_summarises_and_reconciles(
    unit_vault: Path, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    export = ("export", "--kind", "annual", "--period", "2026", "--to", str(stick), "--folder")
    assert cli(unit_vault, *export)[0] == 0
    package = next(stick.iterdir())
    office = tmp_path / "office"
    code, _out, err = cli(
        office, "office", "init", "--name", "Công an tỉnh Quảng Ngãi", "--code", "CA-QNG",
        "--admin", "admin",
    )  # fmt: skip
    assert code == 0, err

    code, out, _err = cli(unit_vault, "--json", "verify", str(package))
    fingerprint = json.loads(out)["fingerprint"]
    wrong = "0000" + fingerprint.replace(" ", "")[4:]
    pub = str(package / "unit.pub")
    code, _out, err = cli(office, "office", "trust", pub, "--fingerprint", fingerprint)
    assert code == 2 and "--code" in err  # the code is typed from the paper report too
    trust = ("office", "trust", pub, "--code", "STP-QNG", "--fingerprint")
    code, _out, err = cli(office, *trust, wrong)
    assert code == 1 and "is not the fingerprint of this key" in err
    code, _out, err = cli(office, "office", "import", str(package))
    assert code == 1
    code, _out, err = cli(
        office, "office", "trust", pub, "--code", "CA-QNG", "--fingerprint", fingerprint
    )
    assert code == 1 and "the key file is for unit STP-QNG, not CA-QNG" in err
    code, out, err = cli(office, *trust, fingerprint.lower())
    assert code == 0, err
    assert "Key of unit STP-QNG (Sở Tư pháp tỉnh Quảng Ngãi) pinned" in out

    code, out, err = cli(office, "office", "import", str(stick))  # the stick's root
    assert code == 0, err
    assert f"ACCEPTED  {package.name}: unit STP-QNG" in out
    code, out, _err = cli(office, "office", "import", str(package))
    assert code == 1 and "REJECTED" in out and "replay" in out

    pdf = tmp_path / "summary.pdf"
    code, out, err = cli(
        office, "--json", "office", "summary", "--period", "2026", "--out", str(pdf)
    )
    assert code == 0, err
    assert [unit["code"] for unit in json.loads(out)["units"]] == ["STP-QNG"]
    assert pdf.read_bytes().startswith(b"%PDF")
    code, out, err = cli(office, "office", "reconcile", "--period", "2026", lang="vi")
    assert code == 0, err
    assert "Không phát hiện chênh lệch nào." in out

    # a key pinned by mistake is retired (with a reason) and no longer accepted
    code, _out, err = cli(office, "office", "untrust", "STP-QNG")
    assert code == 2 and "--reason" in err
    code, out, err = cli(office, "office", "untrust", "STP-QNG", "--reason", "nhầm khóa", lang="vi")
    assert code == 0, err
    assert out.startswith("Đã thu hồi khóa của đơn vị STP-QNG")
    code, out, _err = cli(office, "office", "import", str(package))
    assert code == 1 and "unknown unit key" in out


# -- a failed eject does not turn a written export into a failure (review p08) ------------
def test_a_failed_eject_is_a_warning_after_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    create(tmp_path / "justice", JUSTICE).close()
    stick = tmp_path / "stick"
    stick.mkdir()
    volume = media.Volume(stick, "/dev/sdz1", "vfat", "STICK", 10**9, 10**9)
    monkeypatch.setattr(ExportService, "removable_volume", lambda self, target: volume)
    failed = media.EjectResult(False, "unmount", 1, "target is busy")
    monkeypatch.setattr(media, "eject", lambda volume: failed)
    monkeypatch.setenv("SECRETDESK_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SECRETDESK_INSECURE_FAST_KDF", "1")
    monkeypatch.setenv("SECRETDESK_LOG_DIR", str(tmp_path / "log"))
    base = ["--lang", "en", "--data-dir", str(tmp_path / "justice")]
    export_args = ["export", "--kind", "annual", "--period", "2026", "--to", str(stick)]

    assert main([*base, "--json", *export_args, "--eject"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["seq"] == 1 and payload["ejected"] is False
    assert payload["eject_error"]["code"] == "media.eject_failed"
    assert "target is busy" in payload["eject_error"]["message"]
    assert verify_folder(Path(payload["folder"])).ok

    assert main([*base, *export_args, "--eject"]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[0].startswith("Package written and verified:")
    warning = next(i for i, line in enumerate(text) if line.startswith("Warning:"))
    assert "could not be ejected safely (target is busy)" in text[warning]
    assert text[warning + 1] == "To remove the stick safely, eject it first:"


# -- clear messages for output that cannot be written (review p06) ----------------------
@pytest.mark.slow
def test_summary_into_a_missing_folder_is_a_clear_message(tmp_path: Path) -> None:
    office = tmp_path / "office"
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}

    def cli(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
        result = run_cli("--lang", lang, "--data-dir", str(office), *args, env=env)
        assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
        return result

    init = ("office", "init", "--name", "Office", "--code", "OFF", "--admin", "admin")
    assert cli(*init).returncode == 0
    missing = tmp_path / "nope" / "summary.pdf"
    result = cli("office", "summary", "--period", "2026", "--out", str(missing))
    assert result.returncode == 1
    assert f"The file {missing} could not be written" in result.stderr
    assert "does not exist" in result.stderr
    result = cli("office", "summary", "--period", "2026", "--out", str(missing), lang="vi")
    assert result.returncode == 1 and f"Không ghi được tệp {missing}" in result.stderr
    audit = cli("--json", "audit", "list")
    assert "office.summary" not in audit.stdout  # refused before the summary was made

    folder_as_file = tmp_path / "taken"
    folder_as_file.mkdir()
    result = cli("office", "summary", "--period", "2026", "--out", str(folder_as_file))
    assert result.returncode == 1 and f"The file {folder_as_file} could not be written" in (
        result.stderr
    )
