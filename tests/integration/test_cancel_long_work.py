"""Long work reports its progress and stops at a safe point when cancelled, with nothing
half-written: a cancelled export leaves nothing on the stick and takes no number; a cancelled
office import keeps the units whose packages were all checked and leaves every other package
untouched, so importing again later finds no number taken and no gap made by the cancel."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.services.office import find_packages
from secretdesk.services.progress import Cancelled, Progress, Step
from secretdesk.services.setup import UnitSetup
from secretdesk.storage import office as office_storage
from tests.helpers import PASSPHRASE, fixed_clock

UNITS = (UnitSetup("Sở Tư pháp", "STP-QNG"), UnitSetup("Sở Y tế", "SYT_QNG"))
PACKAGES = 3


def _create(folder: Path, setup: UnitSetup) -> App:
    opened, _code = app_module.create(
        folder, setup, "admin", PASSPHRASE, params=TEST_PARAMS, clock=fixed_clock()
    )
    return opened


def cancelling_at(done: int, steps: list[Step] | None = None) -> Progress:
    """A progress that asks to stop when the step numbered ``done`` is reported."""
    seen = steps if steps is not None else []

    def report(step: Step) -> None:
        seen.append(step)
        if step.done == done:
            progress.cancel()

    progress = Progress(report)
    return progress


@pytest.fixture(scope="module")
def stick(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, str, str]]]:
    """Three packages from each of two units (one code with '_'), and their keys."""
    base = tmp_path_factory.mktemp("cancel")
    out = base / "stick"
    out.mkdir()
    keys = []
    for setup in UNITS:
        with _create(base / setup.code, setup) as unit:
            for _ in range(PACKAGES):
                unit.exports.export("annual", "2026", out, explicitly_chosen_folder=True)
            info = unit.unit_info()
            keys.append((unit.exports.public_key_text(), info.key_fingerprint, info.code))
    return out, keys


@pytest.fixture
def office(tmp_path: Path, stick: tuple[Path, list[tuple[str, str, str]]]) -> Iterator[App]:
    opened = _create(tmp_path / "office", UnitSetup("Ban Chỉ đạo", "BCD", office=True))
    for text, fingerprint, code in stick[1]:
        opened.office.trust(text, fingerprint, code=code)
    with opened:
        yield opened


def _received(office: App) -> list[tuple[str, int]]:
    rows = office.vault.connection.execute(
        "SELECT unit_code, seq FROM received_package ORDER BY unit_code, seq"
    ).fetchall()
    return [(str(code), int(seq)) for code, seq in rows]


def _shuffled(stick: Path) -> list[Path]:
    folders = find_packages([stick])
    random.Random(7).shuffle(folders)  # the order given does not matter
    return folders


@pytest.mark.parametrize(
    ("stop", "kept"),
    [
        (0, []),  # before the first package: nothing
        (2, []),  # inside the first unit: that unit is left whole
        (3, [UNITS[0].code]),  # at the boundary: the first unit complete
        (4, [UNITS[0].code]),  # inside the second unit
    ],
)
def test_a_cancelled_import_keeps_whole_units_and_leaves_the_rest_untouched(
    office: App, stick: tuple[Path, list[tuple[str, str, str]]], stop: int, kept: list[str]
) -> None:
    folders = _shuffled(stick[0])
    steps: list[Step] = []
    outcomes = office.office.import_packages(folders, cancelling_at(stop, steps))
    assert [o.folder for o in outcomes] == folders  # one outcome per folder, in order
    accepted = sorted((str(o.unit_code), int(o.seq or 0)) for o in outcomes if o.accepted)
    expected = [(code, seq) for code in kept for seq in range(1, PACKAGES + 1)]
    assert accepted == expected == _received(office)
    untouched = [o for o in outcomes if not o.accepted]
    assert all(
        o.reason is not None and o.reason.code == "office.import_cancelled" for o in untouched
    )
    assert len(untouched) == 2 * PACKAGES - len(expected)
    events = office.audit.events(action_prefix="office.package")
    assert len(events) == len(expected)  # nothing recorded of the untouched packages
    assert steps[0].total == 2 * PACKAGES + 1 and not steps[-1].cancellable

    again = office.office.import_packages(folders)  # later, the whole stick again
    for outcome in again:
        if (outcome.unit_code, outcome.seq) in expected:
            assert outcome.reason is not None and outcome.reason.code == "office.replay"
        else:
            assert outcome.accepted and outcome.warnings == ()  # no gap, no number taken
    assert len(_received(office)) == 2 * PACKAGES


def test_a_cancel_while_storing_comes_too_late_and_everything_is_kept(
    office: App, stick: tuple[Path, list[tuple[str, str, str]]]
) -> None:
    folders = _shuffled(stick[0])
    outcomes = office.office.import_packages(folders, cancelling_at(2 * PACKAGES))
    assert all(o.accepted for o in outcomes) and len(_received(office)) == 2 * PACKAGES


@pytest.fixture
def unit(tmp_path: Path) -> Iterator[App]:
    with _create(tmp_path / "unit", UNITS[0]) as opened:
        yield opened


def _nothing_exported(unit: App, stick: Path) -> None:
    assert list(stick.iterdir()) == []  # no package, no staging folder
    assert office_storage.last_export_seq(unit.vault.connection) == 0
    assert unit.audit.events(action_prefix="export.") == []
    assert unit.exports.history() == []


@pytest.mark.parametrize("stop", [0, 1, 2])
def test_a_cancelled_export_writes_nothing_and_takes_no_number(
    unit: App, tmp_path: Path, stop: int
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    with pytest.raises(Cancelled) as cancelled:
        unit.exports.export(
            "registers",
            "2026",
            stick,
            explicitly_chosen_folder=True,
            progress=cancelling_at(stop),
        )
    assert cancelled.value.code == "task.cancelled"
    assert "no export number was used" in cancelled.value.render("en")
    _nothing_exported(unit, stick)
    written = unit.exports.export("registers", "2026", stick, explicitly_chosen_folder=True)
    assert written.seq == 1  # the number the cancelled export would have taken
    assert unit.exports.verify_written(written.folder).ok


def test_a_cancel_at_the_last_safe_point_after_the_stick_was_checked(
    unit: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cancel arrives while the stick is checked, after the last step was reported."""
    from secretdesk.services.exports import writing

    stick = tmp_path / "stick"
    stick.mkdir()
    progress = Progress()
    real: Callable[..., None] = writing.precheck

    def slow_precheck(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)
        progress.cancel()

    monkeypatch.setattr(writing, "precheck", slow_precheck)
    with pytest.raises(Cancelled):
        unit.exports.export(
            "annual", "2026", stick, explicitly_chosen_folder=True, progress=progress
        )
    _nothing_exported(unit, stick)


def test_once_the_number_is_taken_a_cancel_is_too_late_and_the_package_is_whole(
    unit: App, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    steps: list[Step] = []
    written = unit.exports.export(
        "annual", "2026", stick, explicitly_chosen_folder=True, progress=cancelling_at(3, steps)
    )
    assert written.seq == 1 and unit.exports.verify_written(written.folder).ok
    assert [s.done for s in steps] == [0, 1, 2, 3, 4, 5]
    assert [s.cancellable for s in steps] == [True, True, True, False, False, False]
    assert steps[-1].fraction == 1.0
