"""Opening a session: the calls that run on the vault worker and what they hand back.

Each function is submitted to the ``TaskRunner`` as a whole, so the connection is opened,
first read and (on failure) closed on the worker thread that owns it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from secretdesk.demo_vault import create_demo

if TYPE_CHECKING:  # the unlock window is shown before the services are imported (issue 16)
    from secretdesk.app import App, UnitInfo
    from secretdesk.services.setup import UnitSetup
    from secretdesk.system.clock import Clock


# The vault's rule, repeated here because the GUI never imports storage; a test keeps the
# two equal, and the vault refuses a shorter passphrase whatever the GUI says.
MIN_PASSPHRASE_LENGTH = 10

# The vault's file names, repeated here for the same reason (a test keeps them equal): the
# first window is chosen by whether either file is there.
DB_FILE = "secretdesk.db"
KEYS_FILE = "secretdesk.keys"


def vault_exists(data_dir: Path) -> bool:
    return (Path(data_dir) / DB_FILE).exists() or (Path(data_dir) / KEYS_FILE).exists()


@dataclass(frozen=True)
class Session:
    """An unlocked App together with what the windows show about it."""

    app: App
    unit: UnitInfo
    data_dir: Path
    recovery_code: str = ""  # only right after the vault was created

    @property
    def username(self) -> str:
        return self.app.actor.username

    @property
    def display_name(self) -> str:
        actor = self.app.actor
        return actor.full_name or actor.username


def _with_unit(opened: App, data_dir: Path, recovery_code: str = "") -> Session:
    try:
        return Session(opened, opened.unit_info(), data_dir, recovery_code)
    except BaseException:
        opened.close()
        raise


def unlock(data_dir: Path, username: str, passphrase: str, clock: Clock | None = None) -> Session:
    """``clock`` fixes the time (tests); by default the system's."""
    from secretdesk import app as app_module  # not before the first window

    return _with_unit(app_module.unlock(data_dir, username, passphrase, clock), data_dir)


def recover(data_dir: Path, username: str, recovery_code: str, new_passphrase: str) -> Session:
    from secretdesk import app as app_module  # not before the first window

    return _with_unit(
        app_module.recover(data_dir, username, recovery_code, new_passphrase), data_dir
    )


def create(
    data_dir: Path,
    setup: UnitSetup,
    admin_username: str,
    admin_full_name: str,
    passphrase: str,
    params: Any = None,
) -> Session:
    """Create the vault; ``params=None`` calibrates Argon2id here (about 0.5 s per unlock)."""
    from secretdesk import app as app_module  # not before the first window

    opened, code = app_module.create(
        data_dir,
        setup,
        admin_username,
        passphrase,
        admin_full_name=admin_full_name,
        params=params,
    )
    return _with_unit(opened, data_dir, code)


def demo(data_dir: Path) -> Session:
    return _with_unit(create_demo(data_dir), data_dir)


def usernames(data_dir: Path) -> list[str]:
    """Users with a key slot; an empty list when the key file cannot be read."""
    from secretdesk import app as app_module  # not before the first window

    try:
        return app_module.usernames(data_dir)
    except Exception:
        return []
