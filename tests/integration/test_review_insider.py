"""Adversarial review of issue 12 (insider): findings left after the first round."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from tests.helpers import PASSPHRASE, fixed_clock, new_app, run_cli

CLERK_PASS = "clerk passphrase long"


def _vault_with_a_top_secret_handover(tmp_path: Path) -> Path:
    app, _ = new_app(tmp_path / "v")
    with app:
        low = Registration(Direction.OUTGOING, Level.MAT, "1/KH-MAT", date(2026, 10, 1), 1)
        top = Registration(
            Direction.OUTGOING, Level.TUYET_MAT, "3/KH-TUYETMAT", date(2026, 10, 1), 1
        )
        low_item = app.items.register(low)
        top_item = app.items.register(top)
        low_copy = app.items.show(low_item.id).copies[0].id
        top_copy = app.items.show(top_item.id).copies[0].id
        app.handovers.create("issue", [low_copy], recipient_person="Trần Thấp")
        app.handovers.create("issue", [top_copy], recipient_person="Nguyễn Tuyệt")
        app.users.add("canbo", Role.CLERK, CLERK_PASS, clearance=Level.MAT)
    return tmp_path / "v"


def _as_clerk(data_dir: Path, *args: str) -> str:
    base = ("--data-dir", str(data_dir), "--user", "canbo", "--lang", "en")
    result = run_cli(*base, *args, env={"SECRETDESK_PASSPHRASE": CLERK_PASS})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_audit_list_leaves_out_events_about_records_above_clearance(tmp_path: Path) -> None:
    data_dir = _vault_with_a_top_secret_handover(tmp_path)
    out = _as_clerk(data_dir, "audit", "list", "--limit", "200")
    assert "KH-TUYETMAT" not in out and "tuyet-mat" not in out
    assert "Nguyễn Tuyệt" not in out
    assert "1/KH-MAT" in out
    assert "Records above your clearance left out:" in out


def test_handover_list_leaves_out_handovers_of_records_above_clearance(tmp_path: Path) -> None:
    data_dir = _vault_with_a_top_secret_handover(tmp_path)
    out = _as_clerk(data_dir, "handover", "list")
    assert "Trần Thấp" in out
    assert "Nguyễn Tuyệt" not in out
    assert "Records above your clearance left out: 1." in out


APPROVER_PASS = "approver passphrase long"
ADMIN_ENV = {"SECRETDESK_PASSPHRASE": PASSPHRASE}


def test_an_administrator_alone_cannot_raise_the_post_of_an_approver(tmp_path: Path) -> None:
    from secretdesk.services.users import CountersignatureRequired

    app, _ = new_app(tmp_path / "v", fixed_clock(2026, 6, 2))
    with app:
        app.users.add("first", Role.APPROVER, APPROVER_PASS, max_level=Level.TUYET_MAT)
        first = app.users.countersign("first", APPROVER_PASS)
        app.users.add(
            "mole", Role.APPROVER, APPROVER_PASS, max_level=Level.TUYET_MAT, approver=first
        )
        with pytest.raises(CountersignatureRequired):
            app.approvers.assign("mole", "bo-truong")
        mole = app.users.countersign("mole", APPROVER_PASS)
        with pytest.raises(CountersignatureRequired):
            app.approvers.assign("mole", "bo-truong", mole)  # not their own raise
        assert app.approvers.list() == []
        app.approvers.assign("mole", "bo-truong", first)
        assert [r.post for r in app.approvers.list()] == ["bo-truong"]
        event = app.audit.events(action_prefix="approver.post")[-1]
        assert event.detail["countersigned_by"] == "first"
    base = ("--data-dir", str(tmp_path / "v"), "--user", "admin", "--lang", "en")
    refused = run_cli(*base, "approver", "set", "first", "so-ban-nganh", env=ADMIN_ENV)
    assert refused.returncode == 1 and "countersignature" in refused.stderr
    done = run_cli(
        *base,
        "approver",
        "set",
        "first",
        "so-ban-nganh",
        "--approver",
        "mole",
        env={**ADMIN_ENV, "SECRETDESK_APPROVER_PASSPHRASE": APPROVER_PASS},
    )
    assert done.returncode == 0, done.stderr


def test_the_recovery_code_cannot_take_over_another_administrator(tmp_path: Path) -> None:
    from secretdesk import app as app_module
    from secretdesk.services.users import RecoveryNotForThisAccount
    from secretdesk.storage.errors import WrongPassphrase

    data_dir = tmp_path / "v"
    app, code = new_app(data_dir)
    with app:
        app.users.add("first", Role.APPROVER, APPROVER_PASS, max_level=Level.TUYET_MAT)
        first = app.users.countersign("first", APPROVER_PASS)
        app.users.add("admin2", Role.ADMIN, "admin two passphrase", approver=first)
    # The code was shown to "admin", who created the vault: it is not admin2's.
    with pytest.raises(RecoveryNotForThisAccount):
        app_module.recover(
            data_dir, "admin2", code, "taken over passphrase", fixed_clock(), person="Kẻ lạ"
        )
    with pytest.raises(WrongPassphrase):
        app_module.unlock(data_dir, "admin2", "taken over passphrase", fixed_clock()).close()
    # admin2 re-keys: the new code is shown to admin2 and is theirs, no longer admin's.
    with app_module.unlock(data_dir, "admin2", "admin two passphrase", fixed_clock()) as second:
        new_code = second.users.rekey(second.users.countersign("admin", PASSPHRASE), "yearly")
    with pytest.raises(RecoveryNotForThisAccount):
        app_module.recover(data_dir, "admin", new_code, "taken over!", fixed_clock(), person="X")
    recovered = app_module.recover(
        data_dir, "admin2", new_code, "recovered passphrase!", fixed_clock(), person="Lê B"
    )
    recovered.close()


def test_a_passphrase_reset_rekeys_so_the_old_key_file_opens_nothing(tmp_path: Path) -> None:
    import shutil

    from secretdesk import app as app_module
    from secretdesk.storage.errors import VaultDamaged, WrongPassphrase
    from secretdesk.storage.vault import DB_FILE, KEYS_FILE, Vault

    data_dir = tmp_path / "v"
    app, _ = new_app(data_dir)
    with app:
        app.users.add("first", Role.APPROVER, APPROVER_PASS, max_level=Level.TUYET_MAT)
        first = app.users.countersign("first", APPROVER_PASS)
        app.users.add("canbo", Role.CLERK, CLERK_PASS, approver=first)
        old_keys = (data_dir / KEYS_FILE).read_bytes()  # kept by whoever knew CLERK_PASS
        code = app.users.reset_passphrase("canbo", "new clerk passphrase", first)
        assert code and app.users.last_recovery_code == code
        assert app.audit.events(action_prefix="vault.rekeyed")[-1].detail["reason"] == (
            "passphrase of canbo reset"
        )
    stolen = tmp_path / "stolen"
    stolen.mkdir()
    shutil.copy(data_dir / DB_FILE, stolen / DB_FILE)
    (stolen / KEYS_FILE).write_bytes(old_keys)
    with pytest.raises((WrongPassphrase, VaultDamaged)):  # the old data key is dead
        Vault.unlock(stolen, "canbo", CLERK_PASS, fixed_clock()).close()
    with app_module.unlock(data_dir, "canbo", "new clerk passphrase", fixed_clock()):
        pass
    base = ("--data-dir", str(data_dir), "--user", "admin", "--lang", "en")
    shown = run_cli(
        *base,
        "user",
        "reset-passphrase",
        "canbo",
        "--approver",
        "first",
        env={
            **ADMIN_ENV,
            "SECRETDESK_APPROVER_PASSPHRASE": APPROVER_PASS,
            "SECRETDESK_NEW_PASSPHRASE": "third clerk passphrase",
        },
    )
    assert shown.returncode == 0, shown.stderr
    assert "RECOVERY CODE" in shown.stdout
