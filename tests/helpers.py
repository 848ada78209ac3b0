"""Shared test helpers: real vaults on disk with cheap key derivation."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from secretdesk import app as app_module
from secretdesk import i18n
from secretdesk.app import App
from secretdesk.cli.main import main as cli_main
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.services.setup import UnitSetup
from secretdesk.system.clock import Clock, FixedClock

PASSPHRASE = "correct horse battery staple"
UNIT = UnitSetup(
    name="Sở Tư pháp tỉnh Quảng Ngãi",
    code="STP-QNG",
    superior_body="Ủy ban nhân dân tỉnh Quảng Ngãi",
    place="Quảng Ngãi",
)


def fixed_clock(year: int = 2026, month: int = 11, day: int = 2) -> FixedClock:
    return FixedClock(datetime(year, month, day, 8, 30, tzinfo=UTC))


def new_app(data_dir: Path, clock: FixedClock | None = None) -> tuple[App, str]:
    return app_module.create(
        data_dir,
        UNIT,
        "admin",
        PASSPHRASE,
        admin_full_name="Lê Văn Quản Trị",
        params=TEST_PARAMS,
        clock=clock or fixed_clock(),
    )


CLI_ENV = {
    "SECRETDESK_INSECURE_FAST_KDF": "1",
    "SECRETDESK_LOG_DIR": os.path.join(tempfile.gettempdir(), "secretdesk-test-logs"),
}

# The time the CLI sees in tests unless a test passes its own clock: the same moment as
# fixed_clock(), so vaults made with new_app() and commands run on them agree on "today".
CLI_NOW = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)


@contextlib.contextmanager
def _environment(overrides: dict[str, str]) -> Iterator[None]:
    """os.environ without any SECRETDESK_ variable, plus ``overrides``; restored after."""
    saved = dict(os.environ)
    try:
        for name in [k for k in os.environ if k.startswith("SECRETDESK_")]:
            del os.environ[name]
        os.environ.update(overrides)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    clock: Clock | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``secretdesk ARGS`` in this process with a fixed clock; output captured.

    The result looks like a finished subprocess (returncode, stdout, stderr). Tests of the
    entry point itself, exit codes of the real program, standard input and passphrase file
    descriptors use ``run_cli_process``.
    """
    out, err = io.StringIO(), io.StringIO()
    clock = clock or FixedClock(CLI_NOW)
    language = i18n.current_language()
    with (
        _environment({**CLI_ENV, **(env or {})}),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = cli_main(list(args), clock=clock)
        finally:
            i18n.set_language(language)
    return subprocess.CompletedProcess(["secretdesk", *args], code, out.getvalue(), err.getvalue())


def run_cli_process(
    *args: str,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    pass_fds: tuple[int, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Run the real ``secretdesk`` program in a subprocess (it reads the system clock)."""
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SECRETDESK_")},
        **CLI_ENV,
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-m", "secretdesk", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        pass_fds=pass_fds,
        timeout=120,
    )
