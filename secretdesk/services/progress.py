"""Long service calls (writing an export package, importing a batch of packages at the office)
report how far they are and may be asked to stop.

One small object for both: the front end makes a ``Progress`` (with a callback for the steps,
called on the worker thread) and may call ``cancel()`` from any thread; the service calls
``step()`` as it goes and ``check()`` at each point where stopping is safe, which raises
``Cancelled``. Where stopping is no longer safe (an export's number is reserved and its files
are being written) the service says so with ``cancellable=False`` and stops checking.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText


class Cancelled(SecretDeskError):
    """The user cancelled a long task at a safe point; the service says what was kept."""

    code = "task.cancelled"
    message = N_("Cancelled. {kept}")


@dataclass(frozen=True)
class Step:
    """How far a long task is: ``done`` of ``total`` steps, what it is doing now, and whether
    a cancel can still stop it."""

    done: int
    total: int
    what: LazyText
    cancellable: bool = True

    @property
    def fraction(self) -> float:
        return 0.0 if self.total <= 0 else min(1.0, self.done / self.total)


class Progress:
    """Steps reported by a service on the worker; a cancel requested from the GUI thread."""

    def __init__(self, report: Callable[[Step], None] | None = None) -> None:
        self._report = report
        self._cancel = threading.Event()
        self.last: Step | None = None

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def step(self, done: int, total: int, what: LazyText, *, cancellable: bool = True) -> None:
        self.last = Step(done, total, what, cancellable)
        if self._report is not None:
            self._report(self.last)

    def check(self, kept: LazyText) -> None:
        """A safe point: raise ``Cancelled`` (saying what was ``kept``) when asked to stop."""
        if self.cancelled:
            raise Cancelled(kept=kept)


def quiet() -> Progress:
    """A progress nobody watches and nobody cancels (the CLI, tests)."""
    return Progress()
