"""Every number of a message agrees (issue 17): "2 copies made, but the approval covers
only 1 copy", through the CLI in both languages; a lock-out's wait of "1 second"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.storage.errors import LockedOut
from tests.helpers import PASSPHRASE, new_app, run_cli

HEAD_PASS = "head passphrase 2026"


@pytest.mark.parametrize(
    ("authorised", "made", "english", "vietnamese"),
    [
        (
            1,
            2,
            "2 copies made, but the approval covers only 1 copy.",
            "Đã sao 2 bản nhưng chỉ được duyệt 1 bản.",
        ),
        (
            2,
            3,
            "3 copies made, but the approval covers only 2 copies.",
            "Đã sao 3 bản nhưng chỉ được duyệt 2 bản.",
        ),
    ],
)
def test_more_copies_than_authorised_counts_both_numbers(
    tmp_path: Path, authorised: int, made: int, english: str, vietnamese: str
) -> None:
    app, _ = new_app(tmp_path / "v")
    app.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
    item = app.items.register(
        Registration(Direction.INCOMING, Level.MAT, "7/QĐ-UBND", date(2026, 10, 1), 1)
    )
    source = app.items.show(item.id).copies[0].id
    repro = app.copies.request(source, 3, "sao-y", purpose="Họp giao ban")
    app.copies.approve(repro.id, app.users.countersign("head", HEAD_PASS), authorised)
    app.close()
    base = ("--data-dir", str(tmp_path / "v"), "--user", "admin")
    record = ("copy", "record", str(repro.id), "--made", str(made), "--by", "Trần Thị Lan")
    record += ("--on", "2026-11-02")
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
    in_english = run_cli("--lang", "en", *base, *record, env=env)
    assert in_english.returncode == 1
    assert english in in_english.stderr, in_english.stderr
    in_vietnamese = run_cli("--lang", "vi", *base, *record, env=env)
    assert vietnamese in in_vietnamese.stderr, in_vietnamese.stderr


def test_a_lock_out_waits_one_second_or_thirty_seconds() -> None:
    one, thirty = LockedOut(failures=5, seconds=1), LockedOut(failures=6, seconds=30)
    assert one.render("en") == "5 failed unlock attempts. Wait 1 second before trying again."
    assert thirty.render("en") == "6 failed unlock attempts. Wait 30 seconds before trying again."
    assert thirty.render("vi") == "Đã nhập sai 6 lần. Hãy chờ 30 giây rồi thử lại."
    one.params["seconds"] = 2  # the unlock window counts the wait down in the parameters
    assert "Wait 2 seconds" in one.render("en")
