"""A 10,000-row import killed (SIGKILL) at random instants: every time all rows or none, both
integrity checks pass and the audit log (chain and Merkle tree) verifies. The instants are
drawn from a seeded generator over the measured length of one whole import."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from secretdesk import app as app_module
from secretdesk.storage import audit
from tests.helpers import PASSPHRASE, fixed_clock, new_app

ROWS = 10_000
# Issue 13 asks for at least 40 kills: SECRETDESK_TEST_KILLS=40. The default run makes 5, as
# each costs a 10,000-row import (about 10 s alone, minutes on a loaded 2-core machine).
KILLS = int(os.environ.get("SECRETDESK_TEST_KILLS", "5"))
HEADING = "STT,Số ký hiệu,Ngày văn bản,Trích yếu,Độ mật,Số bản\n"

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from secretdesk import app as app_module
    from secretdesk.domain.items import Direction
    from secretdesk.services.importer import ImportService
    from tests.helpers import PASSPHRASE, fixed_clock
    opened = app_module.unlock(Path(sys.argv[1]), "admin", PASSPHRASE, fixed_clock())
    print("open", flush=True)
    report = ImportService(opened.ctx).import_file(Path(sys.argv[2]), Direction.OUTGOING)
    assert report.ok, report.problems[:3]
    opened.close()
    print("done", flush=True)
    """
)


def big_csv(path: Path) -> None:
    lines = [
        f"{n},{n}/QĐ-STP,05/01/2026,Quyết định số {n} về công tác bảo vệ bí mật,Mật,2\n"
        for n in range(1, ROWS + 1)
    ]
    path.write_text(HEADING + "".join(lines), encoding="utf-8")


def run_child(vault: Path, csv: Path, kill_after: float | None) -> tuple[bool, float]:
    """(finished, seconds from the vault being open to the end or the kill)."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(vault), str(csv)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "open", child.stderr.read() if child.stderr else ""
    started = time.perf_counter()
    if kill_after is None:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
        return "done" in out, time.perf_counter() - started
    try:
        child.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        return False, kill_after
    return child.returncode == 0, time.perf_counter() - started


def check(vault: Path) -> int:
    """The number of items after the run; the vault must be whole."""
    opened = app_module.unlock(vault, "admin", PASSPHRASE, fixed_clock())
    with opened:
        assert opened.vault.integrity_problems() == []
        verified = audit.verify(opened.vault.connection)
        assert verified.ok, verified.reason
        count = int(opened.vault.connection.execute("SELECT count(*) FROM item").fetchone()[0])
    assert count in (0, ROWS), count
    return count


def test_an_import_killed_at_random_instants_is_all_or_nothing(tmp_path: Path) -> None:
    base = tmp_path / "base"
    opened, _ = new_app(base)
    opened.close()
    csv = tmp_path / "register.csv"
    big_csv(csv)

    whole = tmp_path / "whole"
    shutil.copytree(base, whole)
    finished, duration = run_child(whole, csv, None)
    assert finished and check(whole) == ROWS

    rng = random.Random(13)
    outcomes = []
    for number in range(KILLS):
        vault = tmp_path / f"kill-{number}"
        shutil.copytree(base, vault)
        run_child(vault, csv, rng.uniform(0, duration * 1.1))
        outcomes.append(check(vault))
        shutil.rmtree(vault)
    assert len(outcomes) == KILLS
    assert 0 in outcomes  # the kills did land inside the import
