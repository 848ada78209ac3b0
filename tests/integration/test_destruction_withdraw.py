"""Withdrawing a destruction case (issue 17): a proposed or approved case ends without a
destruction, with a reason and the countersignature of another approver; the copies are
free again, the case reads "withdrawn" in lists and prints no minutes. Service and CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.services.errors import InvalidRequest
from secretdesk.services.users import CountersignatureRequired
from secretdesk.storage.sqlite import IntegrityError
from tests.approver_vault import COUNCIL, HEAD_PASS, copies_of, head, vault_with_head
from tests.helpers import PASSPHRASE, new_app, run_cli


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    yield from vault_with_head(tmp_path)


def test_an_approved_case_withdrawn_frees_its_copies_and_prints_no_minutes(app: App) -> None:
    first, second = copies_of(app)
    case = app.destruction.propose([first, second], "Hết giá trị", COUNCIL)
    app.destruction.approve(case.id, head(app), "QĐ 1")
    with pytest.raises(InvalidRequest, match="cannot leave storage"):
        app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ")

    withdrawn = app.destruction.withdraw(case.id, "Tài liệu còn giá trị sử dụng", head(app))
    assert withdrawn.status == "withdrawn"
    assert withdrawn.withdrawal is not None
    assert withdrawn.withdrawal.reason == "Tài liệu còn giá trị sử dụng"
    assert (withdrawn.withdrawal.withdrawn_by, withdrawn.withdrawal.countersigned_by) == (
        "admin",
        "head",
    )
    assert withdrawn.withdrawal.status_before == "approved"
    # the copies may leave again, and be proposed in a new case
    assert app.handovers.create("dispatch", [first], recipient_body="Sở Nội vụ").status == "open"
    assert app.destruction.propose([second], "Hết giá trị", COUNCIL).status == "proposed"
    # shown as withdrawn in lists, filtered by that status, never as refused
    assert [c.status for c in app.destruction.list()] == ["withdrawn", "proposed"]
    assert [c.id for c in app.destruction.list(status="withdrawn")] == [case.id]
    assert app.destruction.list(status="refused") == []
    # no minutes of an act that never took place, in both languages
    with pytest.raises(InvalidRequest, match="was withdrawn") as error:
        app.destruction.minutes(case.id)
    assert "đã được rút" in error.value.render("vi")
    assert error.value.code == "destruction.withdrawn_no_minutes"
    # nothing more can happen to it
    for attempt in (
        lambda: app.destruction.approve(case.id, head(app), "QĐ 2"),
        lambda: app.destruction.refuse(case.id, head(app)),
        lambda: app.destruction.withdraw(case.id, "Lần nữa", head(app)),
    ):
        with pytest.raises(InvalidRequest, match="withdrawn"):
            attempt()
    event = app.audit.events(action_prefix="destruction.withdrawn")[-1].detail
    assert event["reason"] == "Tài liệu còn giá trị sử dụng"
    assert event["countersigned_by"] == "head" and event["copies"] == [first, second]
    assert event["before"]["status"] == "approved" and event["after"] == {"status": "withdrawn"}


def test_a_proposal_may_be_withdrawn_too(app: App) -> None:
    (first, _) = copies_of(app)
    case = app.destruction.propose([first], "Hết giá trị", COUNCIL)
    withdrawn = app.destruction.withdraw(case.id, "Đề nghị nhầm", head(app))
    assert withdrawn.status == "withdrawn" and withdrawn.withdrawal is not None
    assert withdrawn.withdrawal.status_before == "proposed"


def test_withdrawal_refusals_change_nothing(app: App) -> None:
    first, second = copies_of(app)
    case = app.destruction.propose([first], "Hết giá trị", COUNCIL)
    # no countersignature, or the actor's own: two-person control
    with pytest.raises(CountersignatureRequired):
        app.destruction.withdraw(case.id, "Đề nghị nhầm", None)
    with pytest.raises(CountersignatureRequired):
        app.destruction.withdraw(case.id, "Đề nghị nhầm", app.ctx.actor)
    # no reason
    with pytest.raises(InvalidRequest, match="Say why") as error:
        app.destruction.withdraw(case.id, "  ", head(app))
    assert error.value.code == "destruction.withdraw_needs_reason"
    assert "Nêu lý do rút hồ sơ tiêu hủy 1/2026" in error.value.render("vi")
    assert app.destruction.get(case.id).status == "proposed"
    # a case carried out, refused or destroyed in an emergency cannot be withdrawn
    app.destruction.approve(case.id, head(app), "QĐ 1")
    app.destruction.record(case.id, at=app.ctx.clock.now(), place="Kho", method="Đốt")
    emergency = app.destruction.emergency([second], "Cháy kho, hủy ngay")
    for done in (case.id, emergency.id):
        with pytest.raises(InvalidRequest, match="only a proposed or approved") as refused:
            app.destruction.withdraw(done, "Nhầm", head(app))
        assert refused.value.code == "destruction.withdraw_only_open"
        assert "chỉ rút được hồ sơ" in refused.value.render("vi")
    assert app.audit.events(action_prefix="destruction.withdrawn") == []


def test_a_withdrawal_row_is_never_changed(app: App) -> None:
    (first, _) = copies_of(app)
    case = app.destruction.propose([first], "Hết giá trị", COUNCIL)
    app.destruction.withdraw(case.id, "Đề nghị nhầm", head(app))
    conn = app.vault.connection
    for statement in (
        "UPDATE destruction_withdrawal SET reason = 'x'",
        "DELETE FROM destruction_withdrawal",
    ):
        with pytest.raises(IntegrityError):
            conn.execute(statement)


def test_cli_withdraw_in_both_languages_with_its_refusal_codes(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    app.users.add("head", Role.APPROVER, HEAD_PASS, max_level=Level.TUYET_MAT)
    (first, _) = copies_of(app)
    case = app.destruction.propose([first], "Hết giá trị", COUNCIL)
    app.destruction.approve(case.id, head(app), "QĐ 1")
    app.close()
    base = ("--data-dir", str(tmp_path / "v"), "--user", "admin")
    env = {"SECRETDESK_PASSPHRASE": PASSPHRASE, "SECRETDESK_APPROVER_PASSPHRASE": HEAD_PASS}
    refused = run_cli(
        "--json", *base, "destroy", "withdraw", "1/2026", "--reason", " ", "--approver", "head",
        env=env,
    )  # fmt: skip
    assert refused.returncode == 1
    assert json.loads(refused.stdout)["error"]["code"] == "destruction.withdraw_needs_reason"
    alone = run_cli(
        "--json", *base, "destroy", "withdraw", "1/2026", "--reason", "Nhầm", "--approver",
        "admin", env={**env, "SECRETDESK_APPROVER_PASSPHRASE": PASSPHRASE},
    )  # fmt: skip
    assert json.loads(alone.stdout)["error"]["code"] == "auth.countersignature_required"
    missing = run_cli("--lang", "vi", *base, "destroy", "withdraw", "1/2026", env=env)
    assert missing.returncode == 2 and "--reason" in missing.stderr
    assert "the following arguments" not in missing.stderr
    done = run_cli(
        "--lang", "vi", *base, "destroy", "withdraw", "1/2026", "--reason",
        "Tài liệu còn giá trị", "--approver", "head", env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Đã rút hồ sơ tiêu hủy 1/2026" in done.stdout
    listing = run_cli("--lang", "vi", *base, "destroy", "list", env=env)
    assert "đã rút" in listing.stdout.lower(), listing.stdout
    english = run_cli("--lang", "en", *base, "destroy", "list", "--status", "withdrawn", env=env)
    assert "withdrawn" in english.stdout and "1/2026" in english.stdout
    minutes = run_cli("--lang", "en", *base, "destroy", "minutes", "1/2026", env=env)
    assert minutes.returncode == 1 and "was withdrawn" in minutes.stderr + minutes.stdout
    out = str(tmp_path / "m.pdf")
    report = run_cli("--lang", "en", *base, "report", "minutes", "1/2026", "--out", out, env=env)
    assert report.returncode == 1 and "was withdrawn" in report.stderr + report.stdout
