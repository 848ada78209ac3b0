"""Test-suite wide guards: no IP socket may be opened by anything under test."""

from __future__ import annotations

import os

import pytest

from secretdesk import i18n
from secretdesk.system import netguard

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
GUARD = netguard.install()


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
