"""What opening a session does is a service call (issue 9: no use case in app.py): the rules
sync and the failed unlocks (services/session.py) and recovery with the printed code
(UserService.recover_own_access), each with its permission check and audit events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secretdesk import app as app_module
from secretdesk.domain.roles import Role
from secretdesk.services.users import RecoveryNotForThisAccount
from secretdesk.storage.audit import AuditEvent
from secretdesk.storage.errors import WrongRecoveryCode
from secretdesk.storage.vault import Vault
from tests.helpers import PASSPHRASE, fixed_clock, new_app

CLERK_PASS = "clerk passphrase long"
NEW_PASS = "a new passphrase, long enough"


def latest(events: list[AuditEvent]) -> AuditEvent:
    return max(events, key=lambda event: event.seq)


def test_the_rules_sync_repairs_a_changed_basis_and_audits_it(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        assert app.session.sync_rules() == []  # in step since the vault was created
        with app.vault.transaction() as conn:
            conn.execute("UPDATE legal_basis SET title = 'sửa tay' WHERE code = '2020'")
        before = app.audit.events(action_prefix="rules.updated")  # the vault's creation
        assert app.session.sync_rules() == ["2020"]
        event = latest(app.audit.events(action_prefix="rules.updated"))
        assert event.seq > latest(before).seq
        assert event.actor == "admin" and json.loads(event.detail_json) == {"codes": ["2020"]}
        assert app.session.sync_rules() == []
        assert latest(app.audit.events(action_prefix="rules.updated")) == event
        assert app.audit.verify().ok


def test_an_unlock_syncs_the_rules_through_the_service(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app, app.vault.transaction() as conn:
        conn.execute("UPDATE legal_basis SET title = 'sửa tay' WHERE code = '2026'")
    with app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock()) as again:
        event = latest(again.audit.events(action_prefix="rules.updated"))
        assert json.loads(event.detail_json) == {"codes": ["2026"]}


def test_failed_unlocks_are_recorded_once_and_only_when_there_were_some(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        assert app.session.record_failed_unlocks() == 0
        assert app.audit.events(action_prefix="session.failed_unlocks") == []
        app.vault.failed_unlocks_before = 2
        assert app.session.record_failed_unlocks() == 2
        (event,) = app.audit.events(action_prefix="session.failed_unlocks")
        assert json.loads(event.detail_json) == {"failures": 2}


def test_recovery_needs_a_vault_opened_with_the_recovery_code(tmp_path: Path) -> None:
    app, _ = new_app(tmp_path / "v")
    with app:
        assert not app.vault.opened_with_recovery_code
        with pytest.raises(RuntimeError):
            app.users.recover_own_access(NEW_PASS, person="Ai đó")
        assert app.audit.events(action_prefix="user.passphrase_recovered") == []
    app_module.unlock(tmp_path / "v", "admin", PASSPHRASE, fixed_clock()).close()  # unchanged


def test_recovery_restores_the_holders_access_and_refuses_anyone_else(tmp_path: Path) -> None:
    app, code = new_app(tmp_path / "v")
    with app:
        app.users.add("canbo", Role.CLERK, CLERK_PASS)
    with pytest.raises(RecoveryNotForThisAccount):
        app_module.recover(tmp_path / "v", "canbo", code, NEW_PASS, fixed_clock(), person="Bình")
    recovered = app_module.recover(
        tmp_path / "v", "admin", code, NEW_PASS, fixed_clock(), person=" Lê Văn Quản Trị "
    )
    with recovered:
        assert recovered.vault.opened_with_recovery_code and recovered.new_recovery_code
        assert recovered.new_recovery_code != code
        refused = recovered.audit.events(action_prefix="auth.recovery_refused")
        assert [(e.actor, e.entity_id) for e in refused] == [("canbo", "canbo")]
        (done,) = recovered.audit.events(action_prefix="user.passphrase_recovered")
        assert json.loads(done.detail_json) == {"typed_name": "Lê Văn Quản Trị"}
        assert recovered.audit.events(action_prefix="vault.rekeyed")
    app_module.unlock(tmp_path / "v", "admin", NEW_PASS, fixed_clock()).close()
    with pytest.raises(WrongRecoveryCode):  # the used code opens nothing any more
        Vault.recover(tmp_path / "v", code, fixed_clock())
