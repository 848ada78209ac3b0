"""Long commands show how far they are on a terminal, and nothing when their output is read
by a script."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from secretdesk.cli import commands_export
from secretdesk.cli import progress as cli_progress
from secretdesk.i18n import N_, LazyText
from tests.helpers import PASSPHRASE, new_app, run_cli


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_steps_are_written_over_one_line_and_ended() -> None:
    screen = Terminal()
    progress = cli_progress.on_terminal(screen)
    progress.step(1, 4, LazyText(N_("Checking package {done} of {total}: {name}"), done=1,
                                 total=3, name="u1"))  # fmt: skip
    progress.step(4, 4, LazyText("ok"))
    assert screen.getvalue() == (
        "\rChecking package 1 of 3: u1 (25%)" + "\r" + "ok (100%)".ljust(33) + "\n"
    )


def test_nothing_is_written_when_the_output_is_not_a_terminal() -> None:
    pipe = io.StringIO()
    cli_progress.on_terminal(pipe).step(1, 2, LazyText("x"))
    assert pipe.getvalue() == ""


def test_an_export_on_a_terminal_shows_its_steps_in_vietnamese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_app(tmp_path / "v")[0].close()
    screen = Terminal()  # standard error as a terminal (run_cli captures the real one)
    monkeypatch.setattr(commands_export, "on_terminal", lambda: cli_progress.on_terminal(screen))
    (tmp_path / "out").mkdir()
    result = run_cli("--lang", "vi", "--json", "--data-dir", str(tmp_path / "v"), "--user",
                     "admin", "export", "--kind", "audit", "--period", "2026", "--to",
                     str(tmp_path / "out"), "--folder",
                     env={"SECRETDESK_PASSPHRASE": PASSPHRASE})  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = screen.getvalue()
    assert shown.startswith("\r") and shown.endswith("(100%)\n")
    assert "%)" in shown and "Đang" in shown
    assert '"seq"' in result.stdout  # the JSON answer is untouched
