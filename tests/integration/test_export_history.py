"""The history of exports, and confirming one the program never confirmed (it stopped while
the package was being written): found intact on the stick, or recorded as never written."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.i18n import render_value
from secretdesk.services.exports import ExportRefused, verify_folder
from secretdesk.services.office import SequenceGap
from secretdesk.storage import office as office_store
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli
from tests.integration import two_vaults
from tests.integration.two_vaults import REPO, export, trust


@pytest.fixture
def unit_app(tmp_path: Path):
    opened, _code = new_app(tmp_path / "vault")
    yield opened
    opened.close()


def test_history_marks_unconfirmed_exports_and_confirming_ends_them(
    unit_app: App, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    exports = unit_app.exports
    written = exports.export("annual", "2026", stick, explicitly_chosen_folder=True)
    exports._reserve("audit", "2026", stick)  # the program stopped after reserving number 2
    exports._reserve("registers", "2026", stick)  # and number 3
    history = exports.history()
    assert [(e.seq, e.kind, e.status) for e in history] == [
        (3, "registers", "unconfirmed"),
        (2, "audit", "unconfirmed"),
        (1, "annual", "written"),
    ]
    assert history[2].folder == str(written.folder) and not history[2].confirmed
    assert exports.verify_written(written.folder).ok

    # A package that is not the one waiting is refused, and nothing changes.
    with pytest.raises(ExportRefused) as refused:
        exports.confirm(2, written.folder)
    assert "is not export 2" in refused.value.render("en")
    with pytest.raises(ExportRefused):
        exports.confirm(1, None)  # already written
    assert [e.seq for e in exports.unconfirmed()] == [2, 3]

    lost = exports.confirm(2, None)
    assert (lost.status, lost.confirmed) == ("failed", True)
    assert [e.seq for e in exports.unconfirmed()] == [3]
    assert unit_app.audit.verify().ok


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Path, App, App]]:
    yield from two_vaults.world(tmp_path)


# -- a crash after the final rename never makes a number be used twice (review p01) ------
CHILD = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from secretdesk import app as app_module
    from secretdesk.services.exports import ExportService
    from secretdesk.transfer.package import FileOps
    from tests.helpers import PASSPHRASE, fixed_clock

    base, crash_on = Path(sys.argv[1]), sys.argv[2]
    opened = app_module.unlock(base / "justice", "admin", PASSPHRASE, fixed_clock())

    class Killed(FileOps):
        def fsync_folder(self, path):
            super().fsync_folder(path)
            if (crash_on == "parent") == (path == base / "stick"):
                os._exit(137)  # as if SIGKILL or a power cut here

    ExportService(opened.ctx, ops=Killed()).export(
        "annual", "2026", base / "stick", explicitly_chosen_folder=True
    )
    sys.exit(0)
    """
)


def crashed_export(base: Path, crash_on: str) -> None:
    script = CHILD.format(repo=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", script, str(base), crash_on], capture_output=True, timeout=120
    )
    assert done.returncode == 137, done.stderr


def test_a_crash_after_the_final_rename_leaves_a_gap_never_a_reused_number(
    world: tuple[Path, App, App], tmp_path: Path
) -> None:
    out, justice, office = world
    justice.close()
    crashed_export(tmp_path, "parent")  # killed right after the final rename
    justice = app_module.unlock(tmp_path / "justice", "admin", PASSPHRASE, fixed_clock())
    try:
        stale = out / "SecretDesk_STP-QNG_annual_2026_1"
        assert verify_folder(stale).ok
        assert office_store.last_export_seq(justice.vault.connection) == 1
        (started,) = justice.exports.unconfirmed()
        assert (started.seq, started.kind, started.period) == (1, "annual", "2026")
        check = next(
            c for c in justice.maintenance.self_test().checks if c.name == "Exports confirmed"
        )
        detail = render_value(check.detail, "en")
        assert not check.ok and check.warning_only and "package 1 (annual 2026)" in detail

        again = justice.exports.export("registers", "2026", out, explicitly_chosen_folder=True)
        assert again.seq == 2
        trust(office, justice)
        outcomes = office.office.import_packages([stale, again.folder])
        assert [(o.accepted, o.seq, o.warnings) for o in outcomes] == [
            (True, 1, ()),
            (True, 2, ()),
        ]
    finally:
        justice.close()

    # The CLI lists the unconfirmed export after the next one.
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    export_args = ("export", "--kind", "audit", "--period", "2026", "--to", str(out), "--folder")
    result = run_cli("--lang", "en", "--data-dir", str(tmp_path / "justice"), *export_args, env=env)
    assert result.returncode == 0, result.stderr
    assert "Warning: export 1 (annual 2026)" in result.stdout
    assert "never confirmed as written" in result.stdout


def test_a_crash_before_the_rename_leaves_a_gap_the_office_reports(
    world: tuple[Path, App, App], tmp_path: Path
) -> None:
    out, justice, office = world
    justice.close()
    crashed_export(tmp_path, "staging")  # killed while the package was still being written
    justice = app_module.unlock(tmp_path / "justice", "admin", PASSPHRASE, fixed_clock())
    try:
        assert not (out / "SecretDesk_STP-QNG_annual_2026_1").exists()
        assert [e.seq for e in justice.exports.unconfirmed()] == [1]
        second = export(justice, out)
        assert second.name.endswith("_2")
        trust(office, justice)
        (accepted,) = office.office.import_packages([second])
        assert accepted.accepted and [type(w) for w in accepted.warnings] == [SequenceGap]
        assert "packages 1 of unit STP-QNG" in accepted.warnings[0].render("en")
    finally:
        justice.close()
