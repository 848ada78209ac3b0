"""``secretdesk self-test --fresh``: the installed program checks itself on a throw-away vault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secretdesk.cli import fresh_test
from secretdesk.cli.main import main
from secretdesk.storage.errors import WrongPassphrase
from tests.helpers import fixed_clock

STEPS = [
    fresh_test.CREATE,
    fresh_test.REOPEN,
    fresh_test.WRONG_REFUSED,
    fresh_test.PDF,
    fresh_test.EXPORT,
    fresh_test.VERIFY,
]


def test_fresh_run_passes_every_step_and_leaves_nothing_behind(tmp_path: Path) -> None:
    report = fresh_test.run_fresh(fixed_clock(), parent=tmp_path)
    names = [check.name for check in report.checks]
    assert names[: len(STEPS)] == STEPS
    assert "Air gap" in names and "Audit chain" in names and "Encryption (SQLCipher)" in names
    failed = [c for c in report.checks if not c.ok and not c.warning_only]
    assert not failed, failed
    assert report.ok
    assert list(tmp_path.iterdir()) == []  # the temporary vault and package are gone


def test_fresh_run_reports_the_failing_step_and_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_unlock = fresh_test.app_module.unlock
    calls = []

    def unlock_refuses_right_passphrase(*args: object, **kwargs: object) -> object:
        calls.append(args)
        if len(calls) == 1:
            raise WrongPassphrase()
        return real_unlock(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(fresh_test.app_module, "unlock", unlock_refuses_right_passphrase)
    report = fresh_test.run_fresh(fixed_clock(), parent=tmp_path)
    assert [c.name for c in report.checks] == [fresh_test.CREATE, fresh_test.REOPEN]
    assert report.checks[0].ok and not report.checks[1].ok
    assert not report.ok
    assert list(tmp_path.iterdir()) == []


def test_fresh_run_fails_when_a_wrong_passphrase_opens_the_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_unlock = fresh_test.app_module.unlock

    def unlock_anything(data_dir: Path, user: str, _passphrase: str, clock: object) -> object:
        return real_unlock(data_dir, user, passphrases[0], clock)  # type: ignore[arg-type]

    passphrases: list[str] = []
    real_token = fresh_test.secrets.token_urlsafe

    def remember(n: int) -> str:
        passphrases.append(real_token(n))
        return passphrases[0]

    monkeypatch.setattr(fresh_test.secrets, "token_urlsafe", remember)
    monkeypatch.setattr(fresh_test.app_module, "unlock", unlock_anything)
    report = fresh_test.run_fresh(fixed_clock(), parent=tmp_path)
    assert report.checks[-1].name == fresh_test.WRONG_REFUSED
    assert not report.checks[-1].ok
    assert not report.ok


def test_cli_self_test_fresh_needs_no_vault_and_prints_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    empty = tmp_path / "no-vault-here"
    code = main(["--lang", "en", "--json", "--data-dir", str(empty), "self-test", "--fresh"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0, out
    assert out["ok"] is True
    checks = {row["check"]: row["result"] for row in out["checks"]}
    assert checks["Verify the package"] == "OK"
    assert checks["A wrong passphrase is refused"] == "OK"
    assert not empty.exists()  # the data folder is not touched


def test_cli_self_test_fresh_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--lang", "vi", "self-test", "--fresh"])
    text = capsys.readouterr().out
    assert code == 0, text
    assert "Xuất một gói dữ liệu đã ký" in text
