"""`verify` without a pinned key reads the package's own unit.pub to check report.json: a
stick can put a named pipe under that name; the verifier must not wait on it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from secretdesk.services.exports.verify import verify_folder
from secretdesk.transfer.layout import UNIT_PUB
from tests.integration import two_vaults


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_named_unit_pub_is_not_waited_on(tmp_path: Path) -> None:
    for out, justice, _office in two_vaults.world(tmp_path):
        folder = two_vaults.export(justice, out)
    pipe = folder / UNIT_PUB
    pipe.unlink()
    os.mkfifo(pipe)
    waited: list[bool] = []

    def unblock() -> None:
        """Opening the writer end without waiting succeeds only if a reader waits on it."""
        try:
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            waited.append(True)
        except OSError:
            waited.append(False)

    timer = threading.Timer(3, unblock)
    timer.start()
    try:
        verdict = verify_folder(folder)
    finally:
        timer.cancel()  # it fires only if the reading above hangs on the pipe
        timer.join()
    assert not verdict.ok
    assert True not in waited, "verify waited on a named pipe"
