"""The name of this computer, recorded with each draft (the machine it was made on)."""

from __future__ import annotations

import os


def computer_name() -> str:
    if hasattr(os, "uname"):
        return os.uname().nodename or "?"
    return os.environ.get("COMPUTERNAME", "?")
