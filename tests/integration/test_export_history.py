"""The history of exports, and confirming one the program never confirmed (it stopped while
the package was being written): found intact on the stick, or recorded as never written."""

from __future__ import annotations

from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.services.exports import ExportRefused
from tests.helpers import new_app


@pytest.fixture
def unit_app(tmp_path: Path):
    opened, _code = new_app(tmp_path / "vault")
    yield opened
    opened.close()


def test_history_marks_unconfirmed_exports_and_confirming_ends_them(
    unit_app: App, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    exports = unit_app.exports
    written = exports.export("annual", "2026", stick, explicitly_chosen_folder=True)
    exports._reserve("audit", "2026", stick)  # the program stopped after reserving number 2
    exports._reserve("registers", "2026", stick)  # and number 3
    history = exports.history()
    assert [(e.seq, e.kind, e.status) for e in history] == [
        (3, "registers", "unconfirmed"),
        (2, "audit", "unconfirmed"),
        (1, "annual", "written"),
    ]
    assert history[2].folder == str(written.folder) and not history[2].confirmed
    assert exports.verify_written(written.folder).ok

    # A package that is not the one waiting is refused, and nothing changes.
    with pytest.raises(ExportRefused) as refused:
        exports.confirm(2, written.folder)
    assert "is not export 2" in refused.value.render("en")
    with pytest.raises(ExportRefused):
        exports.confirm(1, None)  # already written
    assert [e.seq for e in exports.unconfirmed()] == [2, 3]

    lost = exports.confirm(2, None)
    assert (lost.status, lost.confirmed) == ("failed", True)
    assert [e.seq for e in exports.unconfirmed()] == [3]
    assert unit_app.audit.verify().ok
