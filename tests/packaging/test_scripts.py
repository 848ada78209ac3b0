"""The packaging shell scripts parse, and the menu entry is what the .deb and install.sh expect."""

from __future__ import annotations

import configparser
import subprocess
from pathlib import Path

import pytest

from tests.packaging.helpers import PACKAGING

SCRIPTS = sorted(PACKAGING.rglob("*.sh"))


def test_every_packaging_script_is_checked() -> None:
    names = {p.name for p in SCRIPTS}
    assert {"ci-frozen.sh", "build-frozen.sh", "make-packages.sh", "wheelhouse.sh"} <= names
    assert {"install-offline.sh", "release.sh", "install-user.sh"} <= names


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_script_parses_and_stops_on_errors(script: Path) -> None:
    shell = "sh" if script.name == "install-user.sh" else "bash"
    result = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "set -eu" in script.read_text(encoding="utf-8")


def test_the_menu_entry_starts_the_program_installed_under_opt() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "linux" / "secretdesk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "/opt/secretdesk/secretdesk"
    assert desktop["Icon"] == "secretdesk"
    assert (PACKAGING / "linux" / "secretdesk.svg").is_file()
    assert "Name[vi]" in desktop and "Comment[vi]" in desktop
