"""``secretdesk self-test --fresh``: does this installed program work, end to end, here?

Run right after installing (and inside the frozen build in CI): it needs no existing vault.
In a new temporary folder it creates a vault with cheap but real Argon2id parameters, closes
and reopens it, checks that a wrong passphrase is refused, registers one item and renders its
register to PDF, exports a signed package to a temporary folder and verifies it, and runs the
vault self-test (SQLCipher, settings, integrity, audit chain, air gap). Everything is removed
afterwards; nothing touches the user's own data folder.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from secretdesk import app as app_module
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_
from secretdesk.services.exports import verify_folder
from secretdesk.services.maintenance import KEY_DERIVATION, Check, SelfTestReport
from secretdesk.services.setup import UnitSetup
from secretdesk.system.clock import Clock, SystemClock

FRESH_KDF = app_module.SELF_TEST_KDF
WRONG_PASSPHRASE_CODE = "vault.wrong_passphrase"
FRESH_UNIT = UnitSetup(name="Self-test unit", code="SELFTEST", superior_body="", place="")
FRESH_ADMIN = "selftest"

CREATE = N_("Create a new vault")
REOPEN = N_("Reopen it with the passphrase")
WRONG_REFUSED = N_("A wrong passphrase is refused")
PDF = N_("Render a register to PDF")
EXPORT = N_("Export a signed package")
VERIFY = N_("Verify the package")


class _Failed(Exception):
    """A step failed; its check row has been recorded."""


def run_fresh(clock: Clock | None = None, parent: Path | None = None) -> SelfTestReport:
    """Every step's result, in order; the report is not ok when any step failed."""
    clock = clock or SystemClock()
    work = Path(tempfile.mkdtemp(prefix="secretdesk-selftest-", dir=parent))
    checks: list[Check] = []
    try:
        _steps(work, clock, checks)
    except _Failed:
        pass
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return SelfTestReport(checks)


def _step(checks: list[Check], name: str, action: Callable[[], str]) -> None:
    try:
        detail = action()
    except (SecretDeskError, OSError, ValueError) as error:
        render = getattr(error, "render", None)
        checks.append(Check(name, False, render() if render else f"{type(error).__name__}"))
        raise _Failed from error
    checks.append(Check(name, True, detail))


def _steps(work: Path, clock: Clock, checks: list[Check]) -> None:
    data_dir = work / "vault"
    passphrase = secrets.token_urlsafe(24)

    def create() -> str:
        opened, _code = app_module.create(
            data_dir, FRESH_UNIT, FRESH_ADMIN, passphrase, params=FRESH_KDF, clock=clock
        )
        opened.close()
        return f"{data_dir.name}, argon2id m={FRESH_KDF.memory_kib} KiB t={FRESH_KDF.iterations}"

    _step(checks, CREATE, create)

    def reopen() -> str:
        app_module.unlock(data_dir, FRESH_ADMIN, passphrase, clock).close()
        return "ok"

    _step(checks, REOPEN, reopen)

    def wrong() -> str:
        try:
            app_module.unlock(data_dir, FRESH_ADMIN, passphrase + "x", clock).close()
        except SecretDeskError as error:
            if error.code == WRONG_PASSPHRASE_CODE:
                return "ok"
            raise
        raise ValueError("a wrong passphrase opened the vault")

    _step(checks, WRONG_REFUSED, wrong)

    opened = app_module.unlock(data_dir, FRESH_ADMIN, passphrase, clock)
    try:
        year = opened.ctx.today().year

        def pdf() -> str:
            opened.items.register(
                Registration(
                    Direction.OUTGOING,
                    Level.MAT,
                    "01/ST",
                    date(year, 1, 1),
                    1,
                    doc_type="Self-test",
                    issuer=FRESH_UNIT.name,
                    summary="Self-test",
                )
            )
            data = opened.printing.register("outgoing", year)
            if not data.startswith(b"%PDF-"):
                raise ValueError("not a PDF")
            return f"{len(data)} bytes"

        _step(checks, PDF, pdf)
        out = work / "export"
        out.mkdir()
        folders: list[Path] = []

        def export() -> str:
            result = opened.exports.export("audit", str(year), out, explicitly_chosen_folder=True)
            folders.append(result.folder)
            return result.folder.name

        _step(checks, EXPORT, export)

        def verify() -> str:
            verdict = verify_folder(folders[0])
            if not verdict.ok:
                raise ValueError("; ".join(str(p) for p in verdict.problems))
            return "minisign, signify, SHA-256"

        _step(checks, VERIFY, verify)
        # The throw-away vault is cheap on purpose (SELF_TEST_KDF): its key-derivation check
        # says so and is not a finding about this installation.
        checks.extend(
            check for check in opened.maintenance.self_test().checks if check.name != KEY_DERIVATION
        )
    finally:
        opened.close()
