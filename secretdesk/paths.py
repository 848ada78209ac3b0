"""Where SecretDesk keeps its data when the user does not say."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def default_data_dir() -> Path:
    override = os.environ.get("SECRETDESK_DATA_DIR")
    if override:
        return Path(override)
    return Path(user_data_dir("SecretDesk", appauthor=False))
