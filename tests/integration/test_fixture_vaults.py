"""Every released schema version leaves a fixture vault that later versions must open."""

from __future__ import annotations

import shutil
from pathlib import Path

from secretdesk import app as app_module
from secretdesk.storage import migrations
from tests.helpers import fixed_clock

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_schema_1_vault_opens_upgrades_and_keeps_its_history(tmp_path: Path) -> None:
    copy = tmp_path / "vault"
    shutil.copytree(FIXTURES / "vault-v1", copy)
    with app_module.unlock(copy, "admin", "fixture passphrase v1", fixed_clock()) as opened:
        assert opened.vault.schema_version() == migrations.LATEST_VERSION
        assert opened.unit_info().code == "VP-ST"
        assert opened.unit_info().name == "Văn phòng UBND huyện Sơn Tịnh"
        chain = opened.audit.verify()
        assert chain.ok and chain.events >= 3
        assert opened.vault.integrity_problems() == []
        if migrations.LATEST_VERSION > 1:
            backup = opened.vault.backup_made
            assert backup is not None and (backup / "secretdesk.db").exists()
    # the committed fixture itself is untouched
    assert (FIXTURES / "vault-v1" / "secretdesk.db").read_bytes() != b""
