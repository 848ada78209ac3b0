"""What a CLI command gets: parsed options, output, passphrase source, a way to unlock."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.cli.output import Output
from secretdesk.cli.secrets_input import SecretSource
from secretdesk.errors import UsageError
from secretdesk.i18n import _
from secretdesk.paths import default_data_dir
from secretdesk.system.clock import Clock, SystemClock


@dataclass
class CliContext:
    data_dir: Path
    username: str | None
    output: Output
    secrets: SecretSource
    clock: Clock = field(default_factory=SystemClock)
    _apps: list[App] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: argparse.Namespace, clock: Clock | None = None) -> CliContext:
        data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
        return cls(
            data_dir=data_dir,
            username=args.user or os.environ.get("SECRETDESK_USER"),
            output=Output(as_json=args.json),
            secrets=SecretSource(fd=args.passphrase_fd),
            clock=clock or SystemClock(),
        )

    def resolve_username(self) -> str:
        if self.username:
            return self.username
        known = app_module.usernames(self.data_dir)
        if len(known) == 1:
            return known[0]
        raise UsageError(detail=_("Several users share this vault: say which with --user."))

    def unlock(self) -> App:
        username = self.resolve_username()
        passphrase = self.secrets.ask(_("Passphrase for {user}: ").format(user=username))
        opened = app_module.unlock(self.data_dir, username, passphrase, self.clock)
        self._apps.append(opened)
        if opened.vault.public_replaced is not None:
            sys.stderr.write(
                _(
                    "Warning: someone had put another public key into your key slot (it would "
                    "have been given the next data key); your own key was put back and this was "
                    "recorded in the audit log. Tell the administrator: the vault should be "
                    "re-keyed once that person has left."
                )
                + "\n"
            )
        for leftover in opened.restore_leftovers:  # a killed restore, settled at this unlock
            sys.stderr.write(_("Warning: {message}").format(message=leftover.text.render()) + "\n")
        # Said at every start, unless the cheap switch itself is on (the test suite, the demo).
        if opened.vault.weak_slots() and os.environ.get(app_module.FAST_KDF_VARIABLE) != "1":
            sys.stderr.write(
                _(
                    "Warning: this vault was made with the cheap key derivation of the demo "
                    "and the tests; never keep real records in it."
                )
                + "\n"
            )
        return opened

    def warn_set_aside(self, opened: App) -> None:
        """After a re-key: the slots it set aside (public key not pinned in the log)."""
        names = [slot.removeprefix("user:") for slot in opened.vault.rekey_quarantined]
        if names:
            sys.stderr.write(
                _(
                    "Warning: the key slots of {users} were set aside and given no new data "
                    "key: their public key is not one the audit log records for them (someone "
                    "may have put their own key there). Reset their passphrases "
                    "(user reset-passphrase) to give them new slots."
                ).format(users=", ".join(names))
                + "\n"
            )

    def keep(self, opened: App) -> App:
        self._apps.append(opened)
        return opened

    def close(self) -> None:
        while self._apps:
            self._apps.pop().close()
