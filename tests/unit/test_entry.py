"""The one entry (secretdesk/entry.py, issue 9): the process is set up once -- log, network
guard, language -- then the CLI or the GUI runs; ``--version`` alone sets up nothing."""

from __future__ import annotations

import argparse
import sys
import types
from pathlib import Path

import pytest

from secretdesk import entry, i18n
from secretdesk.system.netguard import NetworkGuard


@pytest.fixture
def set_ups(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[list[str]]:
    """Every call of ``entry.set_up``, with the arguments it was given (the real one runs)."""
    monkeypatch.setenv("SECRETDESK_LOG_DIR", str(tmp_path / "log"))
    calls: list[list[str]] = []
    real = entry.set_up

    def counted(argv: list[str]) -> NetworkGuard:
        calls.append(list(argv))
        return real(argv)

    monkeypatch.setattr(entry, "set_up", counted)
    return calls


def test_no_command_runs_the_gui_once_set_up_with_the_guard(
    set_ups: list[list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[tuple[argparse.Namespace, object, str]] = []

    def run_gui(args: argparse.Namespace, guard: object) -> int:
        seen.append((args, guard, i18n.current_language()))
        return 7

    fake = types.ModuleType("secretdesk.gui.application")
    fake.run_gui = run_gui  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "secretdesk.gui.application", fake)
    assert entry.main(["--lang", "en", "--data-dir", str(tmp_path / "v")]) == 7
    (args, guard, language) = seen[0]
    assert args.command is None and args.data_dir == str(tmp_path / "v")
    assert isinstance(guard, NetworkGuard) and language == "en"
    assert set_ups == [["--lang", "en", "--data-dir", str(tmp_path / "v")]]
    assert (tmp_path / "log" / "secretdesk.log").exists()  # the log was set up first


def test_a_command_runs_after_one_set_up(
    set_ups: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert entry.main(["--lang", "vi", "audit", "--help"]) == 0
    assert "cách dùng: secretdesk audit" in capsys.readouterr().out
    assert len(set_ups) == 1 and i18n.current_language() == "vi"


def test_the_version_alone_sets_up_nothing(
    set_ups: list[list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert entry.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("SecretDesk ")
    assert set_ups == []


def test_the_language_comes_from_the_line_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SECRETDESK_LANG", "en")
    assert entry.language_of(["--lang", "vi", "item"]) == "vi"
    assert entry.language_of(["--lang=vi"]) == "vi"
    assert entry.language_of(["item", "list"]) == "en"
    monkeypatch.delenv("SECRETDESK_LANG")
    assert entry.language_of([]) == i18n.DEFAULT_LANGUAGE == "vi"
