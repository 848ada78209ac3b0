"""A backup is checked by opening it with ``--data-dir`` (README): the full database check
run on it must leave it as its manifest describes, or the backup can no longer be restored
(review of issue 16)."""

from __future__ import annotations

import json
from pathlib import Path

from secretdesk.services import restore
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli


def test_the_full_check_of_a_backup_leaves_it_restorable(tmp_path: Path) -> None:
    data = tmp_path / "v"
    app, _ = new_app(data)
    with app:
        folder = app.vault.backup("checked", parent=tmp_path / "backups")
    base = ("--lang", "en", "--data-dir", str(folder), "--user", "admin", "--json")
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    checked = run_cli(*base, "self-test", "--full", env=env)
    (row,) = [r for r in json.loads(checked.stdout)["checks"] if r["check"] == "Database integrity"]
    assert row["result"] == "OK" and "structure ok" in row["detail"]
    restored = restore.restore(data, folder, "admin", PASSPHRASE, fixed_clock())
    assert restored is not None
