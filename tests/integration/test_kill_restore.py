"""restore killed (SIGKILL) at seeded random instants: afterwards the vault folder holds exactly
one vault that opens, either the one before or the restored one, never neither; both
integrity checks pass, the audit log (chain and tree) verifies, and the vault replaced is never
lost (it is in the vault folder or kept aside)."""

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
from secretdesk.domain.roles import Permission
from secretdesk.services.interrupted_restore import RESTORE_MARKER, tidy
from secretdesk.storage import audit
from secretdesk.storage.vault import DB_FILE
from tests.helpers import PASSPHRASE, fixed_clock, new_app

# Issue 13 asks for at least 40 kills: SECRETDESK_TEST_KILLS=40 (the default run makes 20).
KILLS = int(os.environ.get("SECRETDESK_TEST_KILLS", "20"))
BEFORE, IN_BACKUP = 7, 3  # test events in the live vault, and in the backup

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from secretdesk.services.restore import restore
    from tests.helpers import PASSPHRASE, fixed_clock
    print("start", flush=True)
    restore(Path(sys.argv[1]), Path(sys.argv[2]), "admin", PASSPHRASE, fixed_clock())
    print("done", flush=True)
    """
)


def run_child(root: Path, kill_after: float | None) -> float:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(root / "v"), str(next((root / "backups").iterdir()))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "start"
    started = time.perf_counter()
    if kill_after is None:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0 and "done" in out, err
        return time.perf_counter() - started
    try:
        child.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.stdout.read() is not None
    return kill_after


def events_in(vault: Path) -> int:
    """The test events in a vault that must be whole."""
    with app_module.unlock(vault, "admin", PASSPHRASE, fixed_clock()) as opened:
        assert opened.vault.integrity_problems() == []
        verified = audit.verify(opened.vault.connection)
        assert verified.ok, verified.reason
        return len(opened.audit.events(action_prefix="test.event", limit=100))


def check(root: Path) -> int:
    # What the kill left beside the vault is said and settled before the next unlock: no
    # hidden .v.restore-* folder remains, and no half-finished restored copy stays in place.
    settled = tidy(root / "v")
    assert all(item.settled for item in settled), [str(item.text) for item in settled]
    assert not list(root.glob(".v.restore-*"))
    assert not (root / "v" / RESTORE_MARKER).exists()
    found = events_in(root / "v")
    assert found in (BEFORE, IN_BACKUP), found
    # the vault replaced is never lost: in the vault folder, or kept aside beside it
    others = [
        p for p in root.iterdir() if p.name not in ("v", "backups") and (p / DB_FILE).is_file()
    ]
    if found == IN_BACKUP:
        assert BEFORE in [events_in(p) for p in others]
    return found


def test_a_restore_killed_at_random_instants_leaves_one_whole_vault(tmp_path: Path) -> None:
    base = tmp_path / "base"
    opened, _ = new_app(base / "v")
    with opened:
        for number in range(BEFORE):
            if number == IN_BACKUP:
                opened.maintenance.backup(base / "backups")
            with opened.ctx.change(Permission.RECORD) as change:
                change.audit("test.event", "thing", number)

    whole = tmp_path / "whole"
    shutil.copytree(base, whole)
    duration = run_child(whole, None)
    assert check(whole) == IN_BACKUP

    rng = random.Random(13)
    outcomes = []
    for number in range(KILLS):
        root = tmp_path / f"kill-{number}"
        shutil.copytree(base, root)
        run_child(root, rng.uniform(0, duration * 1.1))
        outcomes.append(check(root))
        shutil.rmtree(root)
    assert len(outcomes) == KILLS
    assert BEFORE in outcomes  # some kills landed before the swap (or before it was finished)
