"""Per-user GUI preferences (language, idle lock) in a small INI file; nothing secret."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_config_dir
from PySide6.QtCore import QSettings

from secretdesk import i18n

DEFAULT_IDLE_LOCK_MINUTES = 10
MAX_IDLE_LOCK_MINUTES = 60


def default_path() -> Path:
    return Path(user_config_dir("SecretDesk", appauthor=False)) / "gui.ini"


class Preferences:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def language(self) -> str | None:
        value = str(self._settings.value("language", ""))
        return value if value in i18n.LANGUAGES else None

    @language.setter
    def language(self, language: str) -> None:
        if language not in i18n.LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        self._settings.setValue("language", language)
        self._settings.sync()

    @property
    def idle_lock_minutes(self) -> int:
        """Minutes without input before the vault locks itself; clamped to 1..60."""
        try:
            minutes = int(str(self._settings.value("idle_lock_minutes", DEFAULT_IDLE_LOCK_MINUTES)))
        except ValueError:
            return DEFAULT_IDLE_LOCK_MINUTES
        return min(max(minutes, 1), MAX_IDLE_LOCK_MINUTES)

    @idle_lock_minutes.setter
    def idle_lock_minutes(self, minutes: int) -> None:
        self._settings.setValue("idle_lock_minutes", min(max(int(minutes), 1), 60))
        self._settings.sync()

    @property
    def window_size(self) -> tuple[int, int] | None:
        """The main window's last size (width, height), or None."""
        try:
            width = int(str(self._settings.value("window_width", 0)))
            height = int(str(self._settings.value("window_height", 0)))
        except ValueError:
            return None
        return (width, height) if width >= 640 and height >= 480 else None

    @window_size.setter
    def window_size(self, size: tuple[int, int]) -> None:
        self._settings.setValue("window_width", int(size[0]))
        self._settings.setValue("window_height", int(size[1]))
        self._settings.sync()

    @property
    def clipboard_seconds(self) -> int:
        """Seconds after which text SecretDesk copied is cleared (default 30, 5..600)."""
        try:
            seconds = int(str(self._settings.value("clipboard_seconds", 30)))
        except ValueError:
            return 30
        return min(max(seconds, 5), 600)
