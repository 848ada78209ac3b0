"""Refuse every IP socket in this process (DESIGN.md §6).

A ``sys.addaudithook`` hook sees socket creation, connects, binds and name look-ups made
through Python. Unix-domain sockets stay allowed (X11, D-Bus need them). Native code is not
seen, which is why the program never imports QtNetwork.

Audit hooks cannot be removed once added, so the guard is installed once per process and
keeps a record of what it refused; the GUI shows and records those attempts.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from secretdesk.errors import NetworkForbidden

_AF_UNIX = 1  # the same number on Linux, macOS and Windows
_NAME_LOOKUPS = frozenset(
    {
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.getnameinfo",
    }
)
_ADDRESSED = frozenset({"socket.connect", "socket.bind", "socket.sendto", "socket.sendmsg"})


@dataclass
class NetworkGuard:
    """Counts and describes refused attempts; ``on_refused`` is told about each one."""

    refused: list[str] = field(default_factory=list)
    on_refused: Callable[[str], None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, event: str, args: tuple[Any, ...]) -> None:
        description = _describe_forbidden(event, args)
        if description is None:
            return
        with self._lock:
            self.refused.append(description)
        if self.on_refused is not None:
            self.on_refused(description)
        raise NetworkForbidden(event=description)


def _describe_forbidden(event: str, args: tuple[Any, ...]) -> str | None:
    if event == "socket.__new__":
        family = args[1] if len(args) > 1 else None
        if family is None or family == -1 or int(family) == _AF_UNIX:
            return None
        return f"{event} family={int(family)}"
    if event in _NAME_LOOKUPS:
        return f"{event} {args[0]!r}" if args else event
    if event in _ADDRESSED:
        family = getattr(args[0], "family", None) if args else None
        if family is not None and int(family) == _AF_UNIX:
            return None
        return event
    return None


_installed: NetworkGuard | None = None


def install(on_refused: Callable[[str], None] | None = None) -> NetworkGuard:
    """Install the process-wide guard once; later calls return it (and update the callback)."""
    global _installed
    if _installed is None:
        guard = NetworkGuard(on_refused=on_refused)

        def hook(event: str, args: tuple[Any, ...]) -> None:
            if event.startswith("socket."):
                guard.check(event, args)

        sys.addaudithook(hook)
        _installed = guard
    elif on_refused is not None:
        _installed.on_refused = on_refused
    return _installed
