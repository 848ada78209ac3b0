"""Shared test helpers: real vaults on disk with cheap key derivation."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.services.setup import UnitSetup
from secretdesk.system.clock import FixedClock

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


def run_cli(
    *args: str,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    pass_fds: tuple[int, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """Run the real ``secretdesk`` program in a subprocess."""
    full_env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SECRETDESK_")},
        "SECRETDESK_INSECURE_FAST_KDF": "1",
        "SECRETDESK_LOG_DIR": os.path.join(tempfile.gettempdir(), "secretdesk-test-logs"),
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
