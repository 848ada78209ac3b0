"""Regressions found in review: lockout per account, countersign guessing, approvals that no
longer cover a raised level, cancellation of live entries, search text after a level change,
Tuyệt mật draft titles, legal basis and audit of new volumes."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.copies import CopyingRefused
from secretdesk.services.drafts import WITHHELD_TITLE
from secretdesk.services.errors import InvalidRequest
from secretdesk.storage.errors import KeyFileDamaged, LockedOut, WrongPassphrase
from secretdesk.storage.vault import KEYS_FILE, LOCKOUT_FILE
from secretdesk.system.clock import FixedClock
from tests.helpers import PASSPHRASE, fixed_clock, new_app

APPROVER = "approver passphrase"


def item(app, level: Level = Level.MAT, copies: int = 2, **extra: object):  # type: ignore[no-untyped-def]
    number_symbol = str(extra.pop("number_symbol", "5/KH-STP"))
    doc_date = extra.pop("doc_date", date(2026, 10, 1))
    registration = Registration(
        Direction.OUTGOING,
        level,
        number_symbol,
        doc_date,
        copies,
        **extra,  # type: ignore[arg-type]
    )
    return app.items.register(registration)


def test_unlocking_ones_own_account_does_not_clear_failures_against_another(
    tmp_path: Path,
) -> None:
    app, _ = new_app(tmp_path / "v")
    app.users.add("giamdoc", Role.APPROVER, APPROVER, max_level=Level.TUYET_MAT)
    app.close()
    clock = fixed_clock()
    for _ in range(5):
        with pytest.raises(WrongPassphrase):
            app_module.unlock(tmp_path / "v", "giamdoc", "guess guess guess", clock)
        app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, clock).close()
    with pytest.raises(LockedOut):
        app_module.unlock(tmp_path / "v", "giamdoc", APPROVER, clock)
    app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, clock).close()


def test_countersign_guesses_are_locked_out_and_recorded(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        app.users.add("giamdoc", Role.APPROVER, APPROVER, max_level=Level.TUYET_MAT)
        for _ in range(5):
            with pytest.raises(WrongPassphrase):
                app.users.countersign("giamdoc", "a guess at it")
        with pytest.raises(LockedOut):
            app.users.countersign("giamdoc", APPROVER)
        failed = app.audit.events(action_prefix="auth.countersign_failed")
        assert len(failed) == 5 and {e.entity_id for e in failed} == {"giamdoc"}


def test_a_damaged_lockout_file_delays_but_never_locks_out_for_ever(tmp_path: Path) -> None:
    new_app(tmp_path / "v")[0].close()
    damaged = tmp_path / "v" / LOCKOUT_FILE
    damaged.write_text("{not json")
    now = fixed_clock()
    os.utime(damaged, (now.now().timestamp(), now.now().timestamp()))  # damaged "now"
    with pytest.raises(LockedOut) as caught:
        app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, now)
    assert caught.value.params["seconds"] <= 30
    now.advance(seconds=31)
    app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, now).close()


@pytest.mark.parametrize("content", ["[]", "null", "42"])
def test_a_key_file_that_is_not_an_object_is_reported_damaged(tmp_path: Path, content: str) -> None:
    new_app(tmp_path / "v")[0].close()
    (tmp_path / "v" / KEYS_FILE).write_text(content)
    with pytest.raises(KeyFileDamaged):
        app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock())


def test_an_approval_no_longer_covering_a_raised_level_cannot_be_used(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        app.users.add("truongphong", Role.APPROVER, APPROVER, max_level=Level.MAT)
        registered = item(app)
        source = app.items.show(registered.id).copies[0]
        request = app.copies.request(source.id, 2, "sao-y")
        app.copies.approve(request.id, app.users.countersign("truongphong", APPROVER))
        app.classification.change_level(
            registered.id, Level.TOI_MAT, decided_on=date(2026, 10, 5), decided_by="Giám đốc"
        )
        with pytest.raises(CopyingRefused, match="no longer covers"):
            app.copies.record(request.id, 2, copied_by="Lê Thị C", copied_on=date(2026, 11, 2))
        assert [c.kind for c in app.items.show(registered.id).copies] == ["original"] * 2


def test_authorising_zero_copies_is_refused(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        app.users.add("giamdoc", Role.APPROVER, APPROVER, max_level=Level.TUYET_MAT)
        request = app.copies.request(app.items.show(item(app).id).copies[0].id, 10, "chup")
        with pytest.raises(InvalidRequest):
            app.copies.approve(request.id, app.users.countersign("giamdoc", APPROVER), 0)


def test_live_entries_cannot_be_cancelled_and_cancelled_items_cannot_be_copied(
    tmp_path: Path,
) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        registered = item(app)
        copy = app.items.show(registered.id).copies[0]
        handover = app.handovers.create("dispatch", [copy.id], recipient_body="UBND tỉnh")
        with pytest.raises(InvalidRequest, match="still in use"):
            app.registry.cancel("handovers", handover.year, handover.number, "nhầm")
        with pytest.raises(InvalidRequest, match="still in use"):
            app.registry.cancel("outgoing", 2026, registered.number, "nhầm")
        other = item(app, number_symbol="6/KH-STP")
        app.registry.cancel("outgoing", 2026, other.number, "Ghi trùng")
        with pytest.raises(CopyingRefused):
            app.copies.request(app.items.show(other.id).copies[0].id, 1, "sao-y")


def test_a_level_change_rebuilds_the_search_text(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        registered = item(app, extra_search=("hầm chỉ huy Núi Ấn",))
        assert app.items.search("ham chi huy")
        app.classification.change_level(
            registered.id, Level.TUYET_MAT, decided_on=date(2026, 10, 5), decided_by="Giám đốc"
        )
        assert app.items.search("ham chi huy") == []
        assert [i.id for i in app.items.search("tuyet mat")] == [registered.id]


def test_tuyet_mat_draft_titles_are_withheld_like_summaries(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        secret = app.drafts.add("Kế hoạch bảo vệ hầm chỉ huy", Level.TUYET_MAT)
        ordinary = app.drafts.add("Báo cáo tháng 11", Level.MAT)
        assert secret.title == WITHHELD_TITLE
        assert ordinary.title == "Báo cáo tháng 11"
        raised = app.drafts.supersede(ordinary.id, level=Level.TUYET_MAT)
        assert raised.title == WITHHELD_TITLE


def test_a_new_volume_takes_the_basis_in_force_and_is_audited(tmp_path: Path) -> None:
    clock = FixedClock(datetime(2026, 2, 10, 9, 0, tzinfo=UTC))
    app, _ = new_app(tmp_path / "v", clock)
    with app:
        item(app, number_symbol="1/BC", doc_date=date(2026, 2, 1))
        assert app.registry.books("outgoing", 2026)[0].legal_basis == "2020"
        clock.advance(days=60)  # April 2026: the 2025 law is in force
        volume = app.registry.lock("outgoing", 2026, open_next_volume=True)
        assert (volume.volume, volume.legal_basis) == (2, "2026")
        opened = app.audit.events(action_prefix="book.opened")
        assert [json.loads(e.detail_json)["volume"] for e in opened] == [1, 2]
