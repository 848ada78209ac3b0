"""First run: create the vault, the unit with its signing key, and the administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from secretdesk.crypto import kdf
from secretdesk.crypto.signing import fingerprint, generate_unit_key
from secretdesk.domain.roles import Actor, Role
from secretdesk.errors import UsageError
from secretdesk.i18n import N_, LazyText
from secretdesk.storage import audit, unit, users
from secretdesk.storage.unit import UnitRecord
from secretdesk.storage.vault import Vault
from secretdesk.system.clock import Clock


@dataclass(frozen=True)
class UnitSetup:
    name: str
    code: str
    superior_body: str = ""
    place: str = ""
    office: bool = False  # the supervising office's vault (pins unit keys, imports packages)


def create_vault(
    data_dir: Path,
    setup: UnitSetup,
    admin_username: str,
    admin_full_name: str,
    passphrase: str,
    params: kdf.KdfParams,
    clock: Clock,
) -> tuple[Vault, Actor, str]:
    """Create everything a unit starts with; return the vault, the admin and the recovery code."""
    if not setup.name.strip() or not setup.code.strip():
        raise UsageError(detail=LazyText(N_("The unit needs a name and a code.")))
    if not admin_username.strip():
        raise UsageError(detail=LazyText(N_("The administrator needs a user name.")))
    vault, recovery_code = Vault.create(data_dir, admin_username, passphrase, params)
    try:
        key = generate_unit_key()
        now = clock.now().astimezone(UTC).isoformat(timespec="seconds")
        with vault.transaction() as conn:
            unit.insert(
                conn,
                UnitRecord(
                    name=setup.name.strip(),
                    code=setup.code.strip(),
                    superior_body=setup.superior_body.strip(),
                    place=setup.place.strip(),
                    signing_private=key.private,
                    signing_public=key.public,
                    signing_key_id=key.key_id,
                    created_at=now,
                ),
            )
            admin = users.insert(
                conn,
                username=admin_username,
                full_name=admin_full_name,
                role=Role.ADMIN,
                max_level=None,
                created_at=now,
            )
            kind = unit.OFFICE_VAULT if setup.office else unit.UNIT_VAULT
            unit.set_vault_kind(conn, kind)
            detail = {
                "unit": setup.code,
                "name": setup.name,
                "key": fingerprint(key.public),
                "kind": kind,
            }
            audit.append(
                conn,
                at_utc=now,
                actor=admin_username,
                action="vault.created",
                entity="unit",
                entity_id=setup.code,
                detail=detail,
            )
            audit.append(
                conn,
                at_utc=now,
                actor=admin_username,
                action="user.added",
                entity="user",
                entity_id=admin_username,
                detail={"after": {"role": "admin"}},
            )
    except BaseException:
        vault.close()
        for name in (vault.db_path, vault.keys_path):
            name.unlink(missing_ok=True)
        raise
    return vault, admin, recovery_code
