"""The office reads nothing a signature does not cover, or reads it bounded: a package
signed by a key the office does not know may carry a rotation statement (key-rotation.json)
that is read to say "the rotation is pending"; a stick can put anything under that name."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.transfer.rotation import ROTATION_STATEMENT
from tests.integration import two_vaults


@pytest.fixture
def unknown(tmp_path: Path) -> Iterator[tuple[Path, App]]:
    """A genuine package of a unit the office has not pinned, and the office."""
    for out, justice, office in two_vaults.world(tmp_path):
        yield two_vaults.export(justice, out), office


def refused_as_unknown(office: App, folder: Path) -> None:
    (refused,) = office.office.import_packages([folder])
    assert not refused.accepted and refused.reason is not None
    assert refused.reason.code == "office.unknown_key"


def test_a_statement_nested_past_the_recursion_limit_is_refused(
    unknown: tuple[Path, App],
) -> None:
    """64 KiB of '[' : json.loads raised RecursionError, which the import did not expect."""
    folder, office = unknown
    (folder / ROTATION_STATEMENT).write_bytes(b"[" * 60000)
    refused_as_unknown(office, folder)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_pipe_named_as_the_rotation_statement_is_not_waited_on(
    unknown: tuple[Path, App],
) -> None:
    folder, office = unknown
    pipe = folder / ROTATION_STATEMENT
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
        refused_as_unknown(office, folder)
    finally:
        timer.cancel()  # it fires only if the reading above hangs on the pipe
        timer.join()
    assert True not in waited, "the import waited on a named pipe"
