"""The compiled schema check (jsonschema-rs) that admits a received report in microseconds is
never laxer than jsonschema: every report it finds valid, jsonschema finds valid too, and a
report it refuses gets jsonschema's verdict and messages (issue 16, office imports)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from secretdesk.domain.items import Direction
from secretdesk.domain.levels import Level
from secretdesk.services import report_v1
from tests.integration.test_office import World, dispatch, register

# What each value in a real report is replaced by: another type, nothing, an empty or
# overlong text, a text with a final newline (Python's "$" allows it, the compiled one not).
REPLACEMENTS: tuple[Any, ...] = (None, -1, 1.5, True, "", "2026\n", "x" * 300, [], {})


@pytest.fixture(name="report")
def report_fixture(tmp_path: Path) -> Iterator[dict[str, Any]]:
    world = World(tmp_path)
    try:
        sent = register(world.justice, Direction.OUTGOING, "5/QĐ-STP", Level.MAT)
        register(world.justice, Direction.INCOMING, "9/CV-CA", Level.TOI_MAT, "Công an tỉnh")
        dispatch(world.justice, [sent.id], "Công an tỉnh Quảng Ngãi")
        folder = world.export(world.justice)
        yield json.loads((folder / "report.json").read_bytes())
    finally:
        world.close()


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _mutants(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for path in _paths(report):
        if not path:
            continue
        for replacement in REPLACEMENTS:
            changed = copy.deepcopy(report)
            parent = changed
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = replacement
            yield changed
        if isinstance(path[-1], str):  # a key left out, and one added beside it
            gone = copy.deepcopy(report)
            parent = gone
            for step in path[:-1]:
                parent = parent[step]
            del parent[path[-1]]
            yield gone
            parent[path[-1] + "_extra"] = 1
            yield gone


def test_the_compiled_check_is_never_laxer_than_jsonschema(report: dict[str, Any]) -> None:
    strict = report_v1._validator()
    assert report_v1._surely_valid(report)
    assert report_v1.schema_errors(report) == []
    checked = refused = 0
    for mutant in _mutants(report):
        checked += 1
        if report_v1._surely_valid(mutant):
            assert not list(strict.iter_errors(mutant)), mutant
        else:
            refused += 1  # then schema_errors is jsonschema's own (the tests below)
    assert checked > 200
    assert refused > checked // 2  # most changes break the schema: the check does refuse


def test_a_final_newline_is_judged_by_jsonschema(report: dict[str, Any]) -> None:
    changed = copy.deepcopy(report)
    changed["period"] = changed["period"] + "\n"
    assert not report_v1._surely_valid(changed)  # the compiled "$" ends the text
    # jsonschema's verdict stands, as it did before the compiled check existed
    assert report_v1.schema_errors(changed) == [
        f"{'/'.join(str(p) for p in e.absolute_path) or '/'}: {e.message}"
        for e in sorted(report_v1._validator().iter_errors(changed), key=report_v1.relevance)
    ]


def test_values_without_a_json_type_fall_back_to_jsonschema(report: dict[str, Any]) -> None:
    changed = copy.deepcopy(report)
    changed["seq"] = 10**40  # beyond any machine integer
    assert report_v1.schema_errors(changed) == [
        f"{'/'.join(str(p) for p in e.absolute_path) or '/'}: {e.message}"
        for e in sorted(report_v1._validator().iter_errors(changed), key=report_v1.relevance)
    ]
