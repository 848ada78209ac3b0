"""Where passphrases come from: a prompt, a file descriptor, or an environment variable.

For automation: ``--passphrase-fd N`` reads one line per passphrase asked (so ``passwd``
reads the old one, then the new one), or ``SECRETDESK_PASSPHRASE`` (and
``SECRETDESK_NEW_PASSPHRASE`` for a new one). Otherwise the terminal is asked, without echo.
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass, field
from typing import IO

from secretdesk.errors import UsageError
from secretdesk.i18n import _


@dataclass
class SecretSource:
    fd: int | None = None
    env_var: str = "SECRETDESK_PASSPHRASE"
    _stream: IO[str] | None = field(default=None, repr=False)

    def _from_fd(self) -> str | None:
        if self.fd is None:
            return None
        if self._stream is None:
            try:
                self._stream = os.fdopen(self.fd, "r", encoding="utf-8", closefd=False)
            except OSError as error:
                raise UsageError(
                    detail=_("Cannot read file descriptor {fd}.").format(fd=self.fd)
                ) from error
        line = self._stream.readline()
        if not line:
            raise UsageError(
                detail=_("File descriptor {fd} gave no passphrase.").format(fd=self.fd)
            )
        return line.rstrip("\r\n")

    def ask(self, prompt: str, *, env_var: str | None = None, confirm: bool = False) -> str:
        from_fd = self._from_fd()
        if from_fd is not None:
            return from_fd
        value = os.environ.get(env_var or self.env_var)
        if value:
            return value
        if not sys.stdin.isatty():
            raise UsageError(
                detail=_(
                    "No passphrase given: use a terminal, --passphrase-fd or {variable}."
                ).format(variable=env_var or self.env_var)
            )
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass(_("Repeat: ")) != first:
            raise UsageError(detail=_("The two passphrases differ."))
        return first
