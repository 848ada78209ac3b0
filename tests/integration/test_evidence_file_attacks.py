"""Attacks on attaching a scan from a stick: a name that is not a plain file (a named pipe,
a link to a device) must be refused at once, never waited on nor read."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.services.errors import InvalidRequest
from tests.helpers import new_app


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    opened, _ = new_app(tmp_path / "v")
    yield opened
    opened.close()


def read_in_thread(app: App, path: Path) -> tuple[threading.Thread, list[object]]:
    outcome: list[object] = []

    def read() -> None:
        try:
            outcome.append(app.attachments.read_upload(path))
        except Exception as error:
            outcome.append(error)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(timeout=5)
    return thread, outcome


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX thing")
def test_a_named_pipe_named_like_a_scan_is_refused_not_waited_on(app: App, tmp_path: Path) -> None:
    """`attach` and `handover scan` opened a pipe named slip.png and waited for a writer
    that never comes: the program hung with the vault open."""
    pipe = tmp_path / "slip.png"
    os.mkfifo(pipe)
    thread, outcome = read_in_thread(app, pipe)
    if thread.is_alive():  # unblock the reader so the test run can end
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(timeout=5)
        pytest.fail("read_upload waited on a named pipe")
    (error,) = outcome
    assert isinstance(error, InvalidRequest)
    assert error.code == "attachment.not_a_file"
    assert "slip.png" in error.render("vi")


def test_a_link_to_a_device_is_refused_before_it_is_read(app: App, tmp_path: Path) -> None:
    """A link named like a PNG to /dev/zero was read up to the size limit (25 MiB) first."""
    link = tmp_path / "slip.png"
    link.symlink_to("/dev/zero")
    _thread, outcome = read_in_thread(app, link)
    (error,) = outcome
    assert isinstance(error, InvalidRequest)
    assert error.code == "attachment.not_a_file"


def test_a_folder_is_refused(app: App, tmp_path: Path) -> None:
    folder = tmp_path / "scan.pdf"
    folder.mkdir()
    _thread, outcome = read_in_thread(app, folder)
    (error,) = outcome
    assert isinstance(error, InvalidRequest)
    assert error.code == "attachment.not_a_file"
