"""Failed unlocks: an increasing delay after five failures, per account (DESIGN.md §2).

The counters live in a small file beside the vault because nothing can be written into the
database before it is unlocked. Each key slot (each user, and the recovery code) has its own
counter, so unlocking one's own account does not clear the failures against another.
Countersignatures count too, on a counter of their own: a clerk cannot keep guessing an
approver's passphrase, and failures typed at a clerk's desk slow only that approver's next
countersignature, never their own unlock. Accounts are stored as keyed hashes (HMAC-SHA256
under the vault id), never as typed text: a passphrase typed into the user field does not
land in the file. The file keeps at most MAX_ENTRIES counters (the oldest go first).
After a successful unlock the count is handed to the service layer, which records it in the
audit log, and that account's counter is cleared.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from secretdesk.storage.errors import LockedOut
from secretdesk.system.atomic import write_atomic
from secretdesk.system.clock import Clock

FREE_ATTEMPTS = 5
FIRST_DELAY_SECONDS = 30
MAX_DELAY_SECONDS = 15 * 60
MAX_ENTRIES = 64


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
    key: str = ""  # the vault id: names are stored as HMAC(key, name)

    def _name(self, slot: str) -> str:
        digest = hmac.new(self.key.encode("utf-8"), slot.encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:32]

    def _load(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not an object")
            for entry in data.values():
                int(entry["failures"])
                datetime.fromisoformat(entry["last_failure_utc"])
            return data
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            # A damaged counter must neither open the gate nor lock everyone out for ever:
            # treat every account as at the threshold since the file was last written.
            try:
                written = datetime.fromtimestamp(self.path.stat().st_mtime, UTC)
            except OSError:
                written = self.clock.now()
            return {"*": {"failures": FREE_ATTEMPTS, "last_failure_utc": written.isoformat()}}

    def _entry(self, data: dict[str, dict[str, Any]], slot: str) -> tuple[int, datetime | None]:
        entry = data.get(self._name(slot)) or data.get("*")
        if not entry:
            return 0, None
        return int(entry["failures"]), datetime.fromisoformat(entry["last_failure_utc"])

    def failures(self, slot: str) -> int:
        return self._entry(self._load(), slot)[0]

    def check(self, slot: str) -> None:
        failures, last = self._entry(self._load(), slot)
        wait = delay_after(failures)
        if wait and last is not None:
            # A failure time in the future (the clock was set back) never extends the wait.
            remaining = min((last - self.clock.now()).total_seconds() + wait, wait)
            if remaining > 0:
                raise LockedOut(failures=failures, seconds=math.ceil(remaining))

    def record_failure(self, slot: str) -> int:
        data = self._load()
        failures = self._entry(data, slot)[0] + 1
        data.pop("*", None)
        data[self._name(slot)] = {
            "failures": failures,
            "last_failure_utc": self.clock.now().isoformat(),
        }
        while len(data) > MAX_ENTRIES:
            oldest = min(data, key=lambda name: str(data[name]["last_failure_utc"]))
            data.pop(oldest)
        self._save(data)
        return failures

    def reset(self, slot: str) -> int:
        """Clear one account's counter; return how many failures it had since its last unlock."""
        data = self._load()
        failures = self._entry(data, slot)[0]
        if self._name(slot) in data or "*" in data:
            data.pop(self._name(slot), None)
            data.pop("*", None)
            self._save(data)
        return failures

    def _save(self, data: dict[str, dict[str, Any]]) -> None:
        if data:
            write_atomic(self.path, json.dumps(data, sort_keys=True).encode("utf-8"))
        else:
            self.path.unlink(missing_ok=True)
