"""The background-task helper: work on one worker thread, results on the GUI thread."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject

from secretdesk.gui.tasks import UNEXPECTED, SyncTaskRunner, TaskRunner, error_text
from secretdesk.storage.errors import WrongPassphrase


def test_work_runs_on_one_worker_thread_and_results_arrive_on_the_gui_thread(
    qtbot: Any, runner: TaskRunner
) -> None:
    gui_thread = threading.get_ident()
    workers: list[int] = []
    results: list[tuple[int, int]] = []
    for _ in range(3):
        runner.submit(
            lambda: workers.append(threading.get_ident()) or len(workers),
            lambda result: results.append((result, threading.get_ident())),
        )
    qtbot.waitUntil(lambda: len(results) == 3)
    assert len(set(workers)) == 1 and workers[0] != gui_thread
    assert [r for r, _ in results] == [1, 2, 3]  # in submission order
    assert {thread for _, thread in results} == {gui_thread}


def test_busy_is_reported_while_work_is_pending(qtbot: Any, runner: TaskRunner) -> None:
    gate = threading.Event()
    with qtbot.waitSignal(runner.busy_changed) as started:
        runner.submit(gate.wait)
    assert started.args == [True] and runner.busy
    with qtbot.waitSignal(runner.busy_changed) as finished:
        gate.set()
    assert finished.args == [False] and not runner.busy


def test_a_refusal_reaches_on_error_with_its_message(qtbot: Any, runner: TaskRunner) -> None:
    errors: list[BaseException] = []

    def refuse() -> None:
        raise WrongPassphrase()

    runner.submit(refuse, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], WrongPassphrase)
    assert error_text(errors[0]) == "Wrong user name or passphrase."
    assert errors[0].__traceback__ is None  # the worker's frames stay on the worker


def test_a_bug_shows_a_generic_message_and_goes_to_the_log(
    qtbot: Any, runner: TaskRunner, caplog: pytest.LogCaptureFixture
) -> None:
    def crash() -> None:
        raise KeyError("internal detail")

    caplog.set_level(logging.ERROR, logger="secretdesk.gui")
    with qtbot.waitSignal(runner.unhandled_error) as shown:
        runner.submit(crash)  # no on_error: the front end shows it
    assert shown.args == [UNEXPECTED]
    assert "internal detail" not in shown.args[0]
    assert "internal detail" in caplog.text and "Traceback" in caplog.text


def test_callbacks_of_a_deleted_widget_are_skipped(qtbot: Any, runner: TaskRunner) -> None:
    owner = QObject()
    called: list[object] = []
    gate = threading.Event()
    runner.submit(gate.wait, called.append, context=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy)
    assert called == []


def test_shutdown_runs_the_pending_work_then_the_final_step_on_the_worker(qapp: Any) -> None:
    tasks = TaskRunner()
    order: list[str] = []
    threads: set[int] = set()

    def step(name: str) -> None:
        threads.add(threading.get_ident())
        order.append(name)

    tasks.submit(lambda: step("work"))
    tasks.shutdown(final=lambda: step("close"))
    assert order == ["work", "close"]
    assert threading.get_ident() not in threads
    with pytest.raises(RuntimeError):
        tasks.submit(lambda: None)


def test_the_synchronous_runner_calls_back_at_once(qapp: Any) -> None:
    tasks = SyncTaskRunner()
    results: list[int] = []
    errors: list[BaseException] = []
    tasks.submit(lambda: 41 + 1, results.append)
    tasks.submit(lambda: 1 / 0, on_error=errors.append)
    assert results == [42]
    assert isinstance(errors[0], ZeroDivisionError)
    assert not tasks.busy
