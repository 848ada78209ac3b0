"""Failed unlocks: an increasing delay after five failures (DESIGN.md §2).

The counter lives in a small file beside the vault because nothing can be written into the
database before it is unlocked. After a successful unlock the count is handed to the
service layer, which records it in the audit log, and the file is cleared.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from secretdesk.storage.errors import LockedOut
from secretdesk.system.atomic import write_atomic
from secretdesk.system.clock import Clock

FREE_ATTEMPTS = 5
FIRST_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 15 * 60


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive failures: 0, ..., 30, 60, 120, ..."""
    if failures < FREE_ATTEMPTS:
        return 0
    doublings = min(failures - FREE_ATTEMPTS, 10)
    return min(FIRST_DELAY_SECONDS << doublings, MAX_DELAY_SECONDS)


@dataclass
class Lockout:
    path: Path
    clock: Clock

    def _load(self) -> tuple[int, datetime | None]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            last = data.get("last_failure_utc")
            return int(data.get("failures", 0)), datetime.fromisoformat(last) if last else None
        except FileNotFoundError:
            return 0, None
        except (OSError, ValueError, TypeError, AttributeError):
            # A damaged counter must not lock a clerk out for ever, nor open the gate:
            # treat it as the threshold reached just now.
            return FREE_ATTEMPTS, self.clock.now()

    def check(self) -> None:
        failures, last = self._load()
        wait = delay_after(failures)
        if wait and last is not None:
            remaining = (last - self.clock.now()).total_seconds() + wait
            if remaining > 0:
                raise LockedOut(failures=failures, seconds=math.ceil(remaining))

    def record_failure(self) -> int:
        failures, _ = self._load()
        failures += 1
        payload = {"failures": failures, "last_failure_utc": self.clock.now().isoformat()}
        write_atomic(self.path, json.dumps(payload).encode("utf-8"))
        return failures

    def reset(self) -> int:
        """Clear the counter; return how many failures there were since the last unlock."""
        failures: int = self._load()[0]
        if failures:
            self.path.unlink(missing_ok=True)
        return failures
