"""The unlock window is shown before the vault's code is imported (issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from secretdesk.gui import session
from secretdesk.storage import vault

SHOW = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
import secretdesk.gui.application
from secretdesk.gui.tasks import Runner
from secretdesk.gui.unlock_window import UnlockWindow

class Later(Runner):  # the worker has not run yet when the window is shown
    def _dispatch(self, task_id, work):
        pass

qt = QApplication([])
heavy = ("secretdesk.app", "secretdesk.storage.vault", "sqlcipher3", "cryptography", "reportlab")
window = UnlockWindow(Later(), Path(sys.argv[1]), username="admin")
window.show()
qt.processEvents()
print(",".join(name for name in heavy if name in sys.modules))
"""


def test_the_unlock_window_is_shown_without_the_vault_code(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", SHOW, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=60,
    )
    assert done.stdout.strip() == ""


def test_the_names_the_gui_repeats_are_the_vaults() -> None:
    assert (session.DB_FILE, session.KEYS_FILE) == (vault.DB_FILE, vault.KEYS_FILE)
