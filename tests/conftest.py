"""Test-suite wide guards: no IP socket may be opened by anything under test."""

from __future__ import annotations

import os

import pytest

from secretdesk import i18n
from secretdesk.system import netguard

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
GUARD = netguard.install()

# Tests about the calendar: the demo, year boundaries, expiry windows and overdue lists.
# They pass fixed clocks; .ci/run runs them once more under faketime at a year's end in
# local time and on a leap day, to catch any reading of the real date that slipped in.
DATE_SENSITIVE = {
    "tests/integration/test_demo.py",
    "tests/integration/test_classification.py",
    "tests/integration/test_rules.py",
    "tests/integration/test_internal_issue_closing.py",
    "tests/integration/test_custody_properties.py",
    "tests/integration/test_cli_lifecycle.py",
    "tests/integration/test_cli_register.py",
    "tests/integration/test_chronology.py",
    "tests/integration/test_legal_fidelity.py",
    "tests/integration/test_statistics.py",
    "tests/integration/test_permits.py",
    "tests/integration/test_export.py",
    "tests/unit/test_levels_and_protection.py",
    "tests/gui/test_handovers_page.py",
    "tests/gui/test_registers_page.py",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = config.rootpath
    missing = sorted(name for name in DATE_SENSITIVE if not (root / name).is_file())
    if missing:
        raise pytest.UsageError(f"DATE_SENSITIVE names files that do not exist: {missing}")
    for item in items:
        if item.path.relative_to(root).as_posix() in DATE_SENSITIVE:
            item.add_marker(pytest.mark.dates)


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest):
    """Fail any test that attempted an IP socket, even if it swallowed the refusal."""
    before = len(GUARD.refused)
    yield
    attempts = GUARD.refused[before:]
    if attempts and request.node.get_closest_marker("netguard_probe") is None:
        pytest.fail(f"network access attempted: {attempts}")


@pytest.fixture(autouse=True)
def _english_by_default():
    """Tests assert English messages unless they pick a language; restore the default after."""
    i18n.set_language("en")
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)
