"""English plurals through the real CLI (issue 17): "1 problem", "2 problems"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, new_app, run_cli
from tests.integration.test_office import World
from tests.integration.test_package_checks import forge, pub_file


@pytest.fixture(name="world")
def world_fixture(tmp_path: Path) -> Iterator[World]:
    made = World(tmp_path)
    yield made
    made.close()


def test_verify_of_a_package_with_one_problem_says_problem(world: World) -> None:
    genuine = world.export(world.justice)
    forged = forge(world, genuine, "without-checkpoint", drop=("checkpoint.txt",))
    key = str(pub_file(world))
    english = run_cli("--lang", "en", "verify", str(forged), "--key", key)
    assert english.returncode != 0
    assert "has 1 problem:" in english.stdout, english.stdout
    assert "1 problems" not in english.stdout
    vietnamese = run_cli("--lang", "vi", "verify", str(forged), "--key", key)
    assert "1 vấn đề" in vietnamese.stdout and "problem" not in vietnamese.stdout


def test_audit_verify_counts_events_in_the_plural(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    app.close()
    base = ("--data-dir", str(tmp_path / "v"), "--user", "admin", "--lang", "en")
    result = run_cli(*base, "audit", "verify", env={"SECRETDESK_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 0, result.stderr
    found = re.search(r"Audit chain intact: (\d+) (events?), head", result.stdout)
    assert found is not None, result.stdout
    assert found.group(2) == ("event" if found.group(1) == "1" else "events")
