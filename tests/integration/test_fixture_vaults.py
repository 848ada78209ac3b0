"""Every released schema version leaves a fixture vault that later versions must open."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("version", [2, 3])
def test_released_vaults_open_upgrade_and_keep_their_register(tmp_path: Path, version: int) -> None:
    copy = tmp_path / "vault"
    shutil.copytree(FIXTURES / f"vault-v{version}", copy)
    with app_module.unlock(copy, "admin", "fixture passphrase", fixed_clock()) as opened:
        assert opened.vault.schema_version() == migrations.LATEST_VERSION
        assert opened.unit_info().name == "Phòng Tư pháp huyện Bình Sơn"
        found = opened.items.search("quyet dinh")
        assert [i.number_symbol for i in found] == ["7/QĐ-PTP"]
        labels = [c.label for c in opened.items.show(found[0].id).copies]
        assert labels == ["Bản số 1", "Bản số 2", "Bản số 3", "Bản sao số 1"]
        assert [h.label for h in opened.handovers.list()] == ["1/2026"]
        assert opened.audit.verify().ok
        assert opened.vault.integrity_problems() == []
