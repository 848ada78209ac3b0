"""Where the shipped data files live (fonts, forms, rules, schemas, locale).

In a source checkout or an editable install they are the repository's ``resources/``
folder; in a wheel they are packaged as ``secretdesk/_resources``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_root() -> Path:
    packaged = _PACKAGE_DIR / "_resources"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def load_json(*parts: str) -> Any:
    with resource_path(*parts).open(encoding="utf-8") as handle:
        return json.load(handle)
