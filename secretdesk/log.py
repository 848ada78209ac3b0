"""Diagnostics go to a private log file, never to the clerk's screen.

The log holds what an administrator needs to report a bug (the traceback of an unexpected
error, refused network attempts); it never holds passphrases, keys or register content.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from platformdirs import user_log_dir

LOGGER = "secretdesk"
MAX_BYTES = 1_000_000
BACKUPS = 3


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (also the one opened after a rotation) is 0600."""

    def _open(self):  # type: ignore[no-untyped-def]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if os.name == "posix":
            os.fchmod(fd, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def log_dir() -> Path:
    override = os.environ.get("SECRETDESK_LOG_DIR")
    return Path(override) if override else Path(user_log_dir("SecretDesk", appauthor=False))


def configure(directory: Path | None = None) -> Path | None:
    """Send the program's log to a rotating file readable by its owner only.

    Returns the file, or None when no file could be opened: then the log is dropped
    rather than shown (a clerk is never shown a traceback).
    """
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for old in list(logger.handlers):
        logger.removeHandler(old)
    path = (directory or log_dir()) / "secretdesk.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        handler: logging.Handler = PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        logger.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    return path
