"""Drafts (dự thảo): numbered, versioned, finalised into an outgoing item, destroyed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.services.drafts import WITHHELD_TITLE
from secretdesk.services.errors import InvalidRequest
from tests.helpers import PASSPHRASE, new_app, run_cli


def registration(**overrides: object) -> Registration:
    values: dict[str, object] = {
        "direction": Direction.INTERNAL,
        "level": Level.TOI_MAT,
        "number_symbol": "15/BC-STP",
        "doc_date": date(2026, 11, 1),
        "copies": 3,
        "doc_type": "Báo cáo",
        "summary": "Báo cáo công tác bảo vệ bí mật nhà nước",
    }
    values.update(overrides)
    return Registration(**values)  # type: ignore[arg-type]


def test_a_draft_lives_from_first_version_to_finalised_item(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        first = app.drafts.add(
            "Báo cáo công tác năm 2026",
            Level.TOI_MAT,
            drafter="Trần Thị Soạn",
            computer="MAY-MAT-01",
        )
        assert (first.label, first.version, first.status) == ("1/2026", 1, "working")
        assert first.computer == "MAY-MAT-01" and first.drafter == "Trần Thị Soạn"
        second = app.drafts.supersede(first.id, computer="MAY-MAT-01")
        assert (second.label, second.version, second.supersedes_id) == ("2/2026", 2, first.id)
        assert app.drafts.get(first.id).status == "superseded"

        item = app.drafts.finalise(second.id, registration())
        assert item.book_kind == "outgoing" and item.origin == "drafted"
        assert item.drafter == "Trần Thị Soạn"
        assert [c.label for c in app.items.show(item.id).copies] == [
            "Bản số 1",
            "Bản số 2",
            "Bản số 3",
        ]
        finalised = app.drafts.get(second.id)
        assert (finalised.status, finalised.item_id) == ("finalised", item.id)

        with pytest.raises(InvalidRequest):
            app.drafts.finalise(first.id, registration(number_symbol="16/BC-STP"))
        destroyed = app.drafts.destroy(first.id, "Xé nhỏ bằng máy hủy tài liệu")
        assert destroyed.status == "destroyed"
        with pytest.raises(InvalidRequest):
            app.drafts.destroy(first.id, "again")
        actions = [e.action for e in app.audit.events(action_prefix="draft.")]
        assert actions == [
            "draft.added",
            "draft.superseded",
            "draft.added",
            "draft.finalised",
            "draft.destroyed",
        ]
        assert app.audit.verify().ok


def test_a_refused_finalisation_changes_nothing(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        draft = app.drafts.add("Kế hoạch", Level.TUYET_MAT)
        head = app.audit.head()
        with pytest.raises(Exception):  # noqa: B017 - the Tuyệt mật summary rule refuses it
            app.drafts.finalise(draft.id, registration(level=Level.TUYET_MAT))
        assert app.drafts.get(draft.id).status == "working"
        assert app.audit.head() == head
        assert app.items.search("") == []


def test_drafts_through_the_cli(tmp_path: Path) -> None:
    data = str(tmp_path / "v")
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    assert (
        run_cli(
            "--data-dir",
            data,
            "init",
            "--unit-name",
            "Sở Tư pháp",
            "--unit-code",
            "STP",
            "--admin",
            "admin",
            env=env,
        ).returncode
        == 0
    )
    added = run_cli(
        "--json",
        "--data-dir",
        data,
        "draft",
        "add",
        "--title",
        "Dự thảo quyết định",
        "--level",
        "mat",
        "--computer",
        "MAY-01",
        env=env,
    )
    assert added.returncode == 0, added.stderr
    draft_id = json.loads(added.stdout)["id"]
    final = run_cli(
        "--json",
        "--data-dir",
        data,
        "draft",
        "finalise",
        str(draft_id),
        "--level",
        "mat",
        "--number-symbol",
        "20/QĐ-STP",
        "--date",
        "01/11/2026",
        "--copies",
        "2",
        env=env,
    )
    assert final.returncode == 0, final.stderr
    assert json.loads(final.stdout)["register"] == "outgoing 1/2026"
    listing = run_cli("--json", "--data-dir", data, "draft", "list", env=env)
    assert [d["status"] for d in json.loads(listing.stdout)] == ["finalised"]
    again = run_cli("--data-dir", data, "draft", "destroy", str(draft_id), "--method", "", env=env)
    assert again.returncode == 1 and "Traceback" not in again.stderr


def test_tuyet_mat_draft_titles_are_withheld_like_summaries(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        secret = app.drafts.add("Kế hoạch bảo vệ hầm chỉ huy", Level.TUYET_MAT)
        ordinary = app.drafts.add("Báo cáo tháng 11", Level.MAT)
        assert secret.title == WITHHELD_TITLE
        assert ordinary.title == "Báo cáo tháng 11"
        raised = app.drafts.supersede(ordinary.id, level=Level.TUYET_MAT)
        assert raised.title == WITHHELD_TITLE
