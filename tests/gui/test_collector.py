"""The GUI-thread garbage collector: only the youngest generation while the worker is busy
(the older ones hold what it is building, and walking them stalled the print preview), and a
full collection only once a quarter of the long-lived objects are new since the last one."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from secretdesk.gui import tasks
from secretdesk.gui.tasks import MainThreadCollector


class FakeGC:
    """Stands for the ``gc`` module: counts and generation sizes set by the test."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0]
        self.sizes = [0, 0, 1000]  # objects in each generation
        self.collected: list[int] = []
        self.enabled = True
        self.frozen = 0

    def get_threshold(self) -> tuple[int, int, int]:
        return (700, 10, 10)

    def get_count(self) -> tuple[int, int, int]:
        return (self.counts[0], self.counts[1], self.counts[2])

    def get_objects(self, generation: int) -> list[None]:
        return [None] * self.sizes[generation]

    def isenabled(self) -> bool:
        return self.enabled

    def disable(self) -> None:
        self.enabled = False

    def enable(self) -> None:
        self.enabled = True

    def freeze(self) -> None:
        self.frozen += 1  # the sizes stand for what is left after it: the test sets them

    def unfreeze(self) -> None:
        self.frozen = 0

    def collect(self, generation: int = 2) -> int:
        self.collected.append(generation)
        # What survives moves one generation up; the collected ones start counting again.
        if generation >= 1:
            self.sizes[2] += self.sizes[1] + self.sizes[0]
            self.sizes[0] = self.sizes[1] = 0
            self.counts[0] = self.counts[1] = 0
            self.counts[2] = 0 if generation == 2 else self.counts[2] + 1
        else:
            self.sizes[1] += self.sizes[0]
            self.sizes[0] = self.counts[0] = 0
            self.counts[1] += 1
        return 0


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeGC:
    fake = FakeGC()
    monkeypatch.setattr(tasks, "gc", fake)
    return fake


def collector(qapp: Any, busy: list[bool]) -> MainThreadCollector:
    made = MainThreadCollector(busy=lambda: busy[0])
    made._timer.stop()  # the test calls check() itself
    return made


def test_only_the_youngest_generation_while_the_worker_is_busy(qapp: Any, fake: FakeGC) -> None:
    busy = [True]
    gc_timer = collector(qapp, busy)
    assert not fake.enabled  # automatic collection is off
    fake.counts = [800, 11, 11]
    fake.sizes = [800, 40_000, 1000]  # what the worker is building
    gc_timer.check()
    assert fake.collected == [0]
    busy[0] = False  # the worker is idle: the older generation's turn
    gc_timer.check()
    assert fake.collected == [0, 1]
    gc_timer.stop()
    assert fake.enabled


def test_a_full_collection_waits_until_it_is_worth_its_cost(qapp: Any, fake: FakeGC) -> None:
    gc_timer = collector(qapp, [False])
    fake.counts = [0, 0, 11]  # due by count alone
    gc_timer.check()
    assert fake.collected == []  # nothing new among the 1,000 long-lived objects
    fake.counts, fake.sizes = [0, 11, 11], [0, 100, 1000]
    gc_timer.check()
    assert fake.collected == [1]  # 100 survivors: not a quarter of 1,000 yet
    fake.counts, fake.sizes = [0, 11, 11], [0, 200, 1100]
    gc_timer.check()
    assert fake.collected == [1, 1]
    fake.counts = [0, 0, 11]
    gc_timer.check()
    assert fake.collected == [1, 1, 2]  # 300 new of 1,000: worth walking them all
    fake.counts = [0, 0, 11]
    gc_timer.check()
    assert fake.collected == [1, 1, 2]  # and counting starts again
    gc_timer.stop()


def test_the_collector_looks_more_often_while_the_worker_runs(qapp: Any, qtbot: Any) -> None:
    runner = tasks.TaskRunner()
    release = threading.Event()
    try:
        timer = runner._collector._timer
        assert timer.interval() == MainThreadCollector.INTERVAL_MS
        runner.submit(lambda: release.wait(5))
        assert runner.busy and timer.interval() == MainThreadCollector.BUSY_INTERVAL_MS
        release.set()
        qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
        assert timer.interval() == MainThreadCollector.INTERVAL_MS
    finally:
        release.set()
        runner.shutdown()
