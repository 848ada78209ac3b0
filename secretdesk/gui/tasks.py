"""The one background-task helper: every vault call runs on one worker thread.

SQLCipher connections must stay on the thread that opened them (DESIGN.md §2, STYLE.md 5, 6),
so the vault is unlocked or created on the worker and every later service call is submitted to
the same worker. Results and errors come back to the GUI thread as queued signals, where the
``on_result`` / ``on_error`` callbacks run. ``SyncTaskRunner`` runs the same callables inline
for tests that want no threads (Picard swaps its thread pool the same way).
"""

from __future__ import annotations

import gc
import itertools
import logging
import queue
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, _

log = logging.getLogger("secretdesk.gui")

UNEXPECTED = N_(
    "An unexpected error occurred. Nothing was changed. "
    "The details were written to the log; please tell the administrator."
)

ResultCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


def error_text(error: BaseException) -> str:
    """What a clerk sees: the error's own message, or a generic one (never a traceback)."""
    if isinstance(error, SecretDeskError):
        return error.render()
    from secretdesk.services.damage import as_vault_error  # only when something went wrong

    told = as_vault_error(error, None)
    return told.render() if told is not None else _(UNEXPECTED)


@dataclass
class _Task:
    work: Callable[[], Any]
    on_result: ResultCallback | None
    on_error: ErrorCallback | None
    context: QObject | None


class Runner(QObject):
    """Bookkeeping shared by the threaded and the synchronous runner."""

    busy_changed = Signal(bool)
    # An error whose task gave no on_error: the front end shows it in a message box.
    unhandled_error = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._pending: dict[int, _Task] = {}

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(
        self,
        work: Callable[[], Any],
        on_result: ResultCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        context: QObject | None = None,
    ) -> None:
        """Run ``work()`` on the worker; call back on the GUI thread.

        When ``context`` (usually the requesting widget) has been deleted by the time the
        result arrives, the callbacks are skipped.
        """
        task_id = next(self._ids)
        was_busy = self.busy
        self._pending[task_id] = _Task(work, on_result, on_error, context)
        if not was_busy:
            self.busy_changed.emit(True)
        self._dispatch(task_id, work)

    def _dispatch(self, task_id: int, work: Callable[[], Any]) -> None:
        raise NotImplementedError

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, ok: bool, value: object) -> None:
        task = self._pending.pop(task_id, None)
        if not self._pending:
            self.busy_changed.emit(False)
        if task is None:
            return
        if task.context is not None and not shiboken6.isValid(task.context):
            return
        if ok:
            if task.on_result is not None:
                task.on_result(value)
        else:
            assert isinstance(value, BaseException)
            if task.on_error is not None:
                task.on_error(value)
            else:
                self.unhandled_error.emit(error_text(value))

    def shutdown(self, final: Callable[[], Any] | None = None) -> None:
        raise NotImplementedError


def _run(work: Callable[[], Any]) -> tuple[bool, object]:
    try:
        return True, work()
    except Exception as error:  # reported to the GUI thread, never raised there
        if not isinstance(error, SecretDeskError):
            log.exception("unexpected error in a background task")
        # The traceback holds the worker's frames (and the connection): do not pass it on.
        return False, error.with_traceback(None)


class _VaultThread(QThread):
    """The worker: takes callables from a queue, in order, until told to stop."""

    done = Signal(int, bool, object)

    def __init__(self, jobs: queue.SimpleQueue[tuple[int, Callable[[], Any]] | None]) -> None:
        super().__init__()
        self.setObjectName("secretdesk-vault")
        self._jobs = jobs

    def run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            task_id, work = job
            ok, value = _run(work)
            self.done.emit(task_id, ok, value)


class MainThreadCollector(QObject):
    """Python's cyclic garbage collector runs on the GUI thread only.

    Left automatic, a collection can start on the worker thread and delete Qt objects there
    (a closed dialog or page caught in a reference cycle), which crashes Qt. So automatic
    collection is off while the worker runs and a GUI-thread timer collects instead (the
    recipe Anki uses, from the PyQt documentation).

    A collection holds the interpreter lock, so it stalls the GUI thread for as long as it
    takes, and the older generations hold whatever the worker is building (the rows of a
    10,000-entry register being laid out): collecting them then took 40-130 ms. While the
    worker is busy only the youngest generation is collected; the older ones wait until it is
    idle, when what it built has mostly been freed by reference counting. A full collection
    also waits, as the automatic collector's does, until the objects that survived since the
    last one are a quarter of those it would have to walk.

    A full collection walks every object the program holds, most of them the modules'
    (Qt, reportlab, jsonschema, the services): about 60,000 objects and 20 to 90 ms on the
    GUI thread, the longest stall of an export or an office import. So whenever modules have
    been loaded since, the objects alive are moved out of the collector's sight once
    (``gc.freeze()``, constant time): full collections then walk only what the session made
    since, and the modules, which live as long as the program, are never walked again.
    """

    INTERVAL_MS = 50  # often enough that each collection has little to do
    BUSY_INTERVAL_MS = 10  # the worker allocates fast: collect its young objects in small bites

    def __init__(
        self, parent: QObject | None = None, *, busy: Callable[[], bool] = lambda: False
    ) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        self._busy = busy
        self._survivors = 0  # objects moved into the oldest generation since a full collection
        self._long_lived = len(gc.get_objects(generation=2))
        self._modules = 0  # how many modules were loaded at the last freeze
        self.freezes = 0
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(self.INTERVAL_MS)

    def check(self) -> None:
        """Collect the oldest generation that is due, as the automatic collector would, then
        freeze what is alive if modules were loaded since the last look."""
        counts = gc.get_count()
        oldest = 0 if self._busy() else 2
        for generation in (2, 1, 0):
            if generation > oldest or counts[generation] <= self._thresholds[generation]:
                continue
            if generation == 2 and self._survivors * 4 < self._long_lived:
                continue  # a full collection is not worth its cost yet
            if generation == 1:  # what survives moves to the oldest generation
                young = len(gc.get_objects(generation=0)) + len(gc.get_objects(generation=1))
                self._survivors += max(0, young - gc.collect(1))
            else:
                gc.collect(generation)
            if generation == 2:
                self._survivors = 0
                self._long_lived = len(gc.get_objects(generation=2))
            break
        if len(sys.modules) != self._modules:
            self._modules = len(sys.modules)
            self.freezes += 1
            gc.freeze()
            self._long_lived = len(gc.get_objects(generation=2))

    def set_busy(self, busy: bool) -> None:
        self._timer.setInterval(self.BUSY_INTERVAL_MS if busy else self.INTERVAL_MS)

    def stop(self) -> None:
        self._timer.stop()
        gc.unfreeze()  # what was frozen is collected as usual again
        if self._was_enabled:
            gc.enable()


class TaskRunner(Runner):
    """One worker QThread that owns the vault connection for the whole program run."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._collector = MainThreadCollector(self, busy=lambda: self.busy)
        self.busy_changed.connect(self._collector.set_busy)
        self._jobs: queue.SimpleQueue[tuple[int, Callable[[], Any]] | None] = queue.SimpleQueue()
        self._thread = _VaultThread(self._jobs)
        # The thread object lives on the GUI thread, so this connection is queued:
        # results are delivered by the GUI thread's event loop.
        self._thread.done.connect(self._deliver)
        self._thread.start()

    def _dispatch(self, task_id: int, work: Callable[[], Any]) -> None:
        if not self._thread.isRunning():
            raise RuntimeError("the task runner has been shut down")
        self._jobs.put((task_id, work))

    def shutdown(self, final: Callable[[], Any] | None = None) -> None:
        """Run what was submitted, then ``final`` (e.g. closing the vault), then stop."""
        if not self._thread.isRunning():
            return
        if final is not None:
            self._jobs.put((0, final))
        self._jobs.put(None)
        self._thread.wait()
        self._pending.clear()
        self._collector.stop()


class SyncTaskRunner(Runner):
    """Runs each task at once on the calling thread; for tests."""

    def _dispatch(self, task_id: int, work: Callable[[], Any]) -> None:
        ok, value = _run(work)
        self._deliver(task_id, ok, value)

    def shutdown(self, final: Callable[[], Any] | None = None) -> None:
        if final is not None:
            _run(final)
