"""The process itself: no core dumps, and children that inherit no secrets (issue 12).

A core dump of an unlocked program holds the passphrase and the raw data key, so before any
passphrase is read the CLI and the GUI set RLIMIT_CORE to 0 (soft and hard) and, on Linux,
PR_SET_DUMPABLE to 0 (no core file, no ptrace or /proc/PID/mem by other processes of the
same user). Child processes (``udisksctl`` for eject) get a minimal environment: never a
SECRETDESK_ variable such as the passphrase variables used for automation.
"""

from __future__ import annotations

import ctypes
import os
import sys

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3
CHILD_VARIABLES = ("PATH", "LANG", "LC_ALL", "LC_MESSAGES", "DBUS_SYSTEM_BUS_ADDRESS", "SYSTEMROOT")


def harden_process() -> list[str]:
    """Turn core dumps off; return what could not be done (empty when all held)."""
    failed = []
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        failed.append("RLIMIT_CORE")
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
                failed.append("PR_SET_DUMPABLE")
        except (OSError, AttributeError):
            failed.append("PR_SET_DUMPABLE")
    return failed


def child_environment() -> dict[str, str]:
    """The environment a child process gets: a few harmless variables, nothing of ours."""
    env = {
        name: os.environ[name]
        for name in CHILD_VARIABLES
        if name in os.environ and not name.startswith("SECRETDESK_")
    }
    env.setdefault("PATH", os.defpath)
    return env
