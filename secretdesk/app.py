"""Composition root: open the vault, build the services, hand them to a front end.

Nothing here runs at import time. The GUI and the CLI both call ``create``, ``unlock``
or ``recover`` and receive an ``App``; they never touch storage directly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from secretdesk.crypto import kdf
from secretdesk.crypto.signing import fingerprint
from secretdesk.domain.roles import Actor
from secretdesk.i18n import N_
from secretdesk.storage import unit, users
from secretdesk.storage.errors import VaultDamaged, WrongPassphrase
from secretdesk.storage.vault import Vault
from secretdesk.system.clock import Clock, SystemClock

if TYPE_CHECKING:
    from secretdesk.services.attachments import AttachmentService
    from secretdesk.services.exports import ExportService
    from secretdesk.services.importer import ImportService
    from secretdesk.services.interrupted_restore import Leftover
    from secretdesk.services.office import OfficeService
    from secretdesk.services.printing import PrintService
    from secretdesk.services.setup import UnitSetup


class DisabledUser(WrongPassphrase):
    code = "vault.user_disabled"
    message = N_("This user account is disabled. Ask the administrator.")


@dataclass(frozen=True)
class UnitInfo:
    name: str
    code: str
    superior_body: str
    key_fingerprint: str
    office: bool = False  # the supervising office's vault: the office pages, no unit register


class App:
    """An unlocked vault with the services of one acting user."""

    def __init__(self, vault: Vault, actor: Actor, clock: Clock) -> None:
        # The services are imported here, not at the top: the graphical program shows its
        # unlock window first and loads them on the worker while the key is derived.
        from secretdesk.services.approvers import ApproverService
        from secretdesk.services.audit import AuditService
        from secretdesk.services.classification import ClassificationService
        from secretdesk.services.context import ServiceContext
        from secretdesk.services.copies import CopyService
        from secretdesk.services.destruction import DestructionService
        from secretdesk.services.drafts import DraftService
        from secretdesk.services.handovers import HandoverService
        from secretdesk.services.incidents import IncidentService
        from secretdesk.services.inventory import InventoryService
        from secretdesk.services.items import ItemService
        from secretdesk.services.legal_records import LegalRecordService
        from secretdesk.services.maintenance import MaintenanceService
        from secretdesk.services.permits import PermitService
        from secretdesk.services.registry import RegistryService
        from secretdesk.services.session import SessionService
        from secretdesk.services.statistics import StatisticsService
        from secretdesk.services.users import UserService

        self.vault = vault
        self.ctx = ServiceContext(vault, actor, clock)
        self.users = UserService(self.ctx)
        self.audit = AuditService(self.ctx)
        self.registry = RegistryService(self.ctx)
        self.items = ItemService(self.ctx)
        self.copies = CopyService(self.ctx)
        self.handovers = HandoverService(self.ctx)
        self.permits = PermitService(self.ctx)
        self.destruction = DestructionService(self.ctx, self.users)
        self.classification = ClassificationService(self.ctx)
        self.incidents = IncidentService(self.ctx)
        self.inventory = InventoryService(self.ctx)
        self.statistics = StatisticsService(self.ctx, self.handovers, self.classification)
        self.drafts = DraftService(self.ctx, self.items)
        self.new_recovery_code: str | None = None  # set after a re-key, shown once
        # What a killed restore had left beside the vault, settled before this unlock.
        self.restore_leftovers: list[Leftover] = []
        self.approvers = ApproverService(self.ctx, self.users)
        self.maintenance = MaintenanceService(self.ctx, self.approvers)
        self.legal_records = LegalRecordService(self.ctx)
        self.session = SessionService(self.ctx)

    # Printing, exports and the office bring reportlab and jsonschema: built on first use, so
    # a command or a window that needs none of them starts without loading them.
    @cached_property
    def printing(self) -> PrintService:
        from secretdesk.services.printing import PrintService

        return PrintService(
            self.ctx,
            handovers=self.handovers,
            statistics=self.statistics,
            destruction=self.destruction,
            inventory=self.inventory,
            permits=self.permits,
            attachments=lambda: self.attachments,
        )

    @cached_property
    def exports(self) -> ExportService:
        from secretdesk.services.exports import ExportService

        return ExportService(self.ctx, printing=self.printing)

    @cached_property
    def attachments(self) -> AttachmentService:
        from secretdesk.services.attachments import AttachmentService

        return AttachmentService(
            self.ctx,
            handovers=self.handovers,
            destruction=self.destruction,
            permits=self.permits,
            incidents=self.incidents,
            printing=lambda: self.printing,
        )

    @cached_property
    def importer(self) -> ImportService:
        """Importing old registers brings openpyxl: built on first use."""
        from secretdesk.services.importer import ImportService

        return ImportService(self.ctx, self.items)

    @cached_property
    def office(self) -> OfficeService:
        from secretdesk.services.office import OfficeService

        return OfficeService(self.ctx)

    @property
    def actor(self) -> Actor:
        return self.ctx.actor

    def unit_info(self) -> UnitInfo:
        record = unit.get(self.vault.connection)
        if record is None:
            raise VaultDamaged(path=str(self.vault.db_path), detail="no unit")
        return UnitInfo(
            record.name,
            record.code,
            record.superior_body,
            fingerprint(record.signing_public),
            office=unit.vault_kind(self.vault.connection) == unit.OFFICE_VAULT,
        )

    def close(self) -> None:
        self.vault.close()

    def __enter__(self) -> App:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _session(vault: Vault, username: str, clock: Clock) -> App:
    actor = users.by_username(vault.connection, username)
    if actor is None or actor.disabled:
        vault.close()
        raise DisabledUser() if actor else WrongPassphrase()
    app = App(vault, actor, clock)
    try:
        app.session.sync_rules()
        app.session.record_failed_unlocks()
        app.session.pin_key_slots()
    except BaseException:
        app.close()
        raise
    return app


# Cheap key derivation for the test suite only: new slots are then trivially guessable.
FAST_KDF_VARIABLE = "SECRETDESK_INSECURE_FAST_KDF"
# The throw-away vault of ``self-test --fresh`` lives for a second and holds nothing: it runs
# Argon2id with the test parameters, the only ones below the floor a slot may be written with.
SELF_TEST_KDF = kdf.TEST_PARAMS


def new_vault_kdf_params() -> kdf.KdfParams:
    """Argon2id calibrated to about 0.5 s on this computer (cheap only under the test flag)."""
    if os.environ.get(FAST_KDF_VARIABLE) == "1":
        return kdf.TEST_PARAMS
    return kdf.calibrate()


def vault_exists(data_dir: Path) -> bool:
    return Vault.exists(data_dir)


def usernames(data_dir: Path) -> list[str]:
    return Vault.usernames(data_dir)


def create(
    data_dir: Path,
    setup: UnitSetup,
    admin_username: str,
    passphrase: str,
    *,
    admin_full_name: str = "",
    params: kdf.KdfParams | None = None,
    clock: Clock | None = None,
) -> tuple[App, str]:
    from secretdesk.services.setup import create_vault

    clock = clock or SystemClock()
    vault, admin, code = create_vault(
        data_dir,
        setup,
        admin_username,
        admin_full_name,
        passphrase,
        params or new_vault_kdf_params(),
        clock,
    )
    created = App(vault, admin, clock)
    try:
        created.session.sync_rules()
        created.session.pin_key_slots()
    except BaseException:
        created.close()
        raise
    return created, code


def unlock(data_dir: Path, username: str, passphrase: str, clock: Clock | None = None) -> App:
    """Open a session; what a killed restore left beside the vault is settled first (and
    said in ``restore_leftovers``, recorded in the log, shown by self-test)."""
    from secretdesk.services.interrupted_restore import tidy

    clock = clock or SystemClock()
    leftovers = tidy(Path(data_dir))
    opened = _session(Vault.unlock(data_dir, username, passphrase, clock), username, clock)
    if leftovers:
        opened.restore_leftovers = leftovers
        try:
            opened.session.record_restore_leftovers(leftovers)
        except BaseException:
            opened.close()
            raise
    return opened


def recover(
    data_dir: Path,
    username: str,
    recovery_code: str,
    new_passphrase: str,
    clock: Clock | None = None,
    *,
    person: str = "",
) -> App:
    """Set a new passphrase for administrator ``username`` using the printed recovery code
    (``UserService.recover_own_access``: only the administrator who was shown the code); the
    new code is in ``app.new_recovery_code``, to be shown once."""
    clock = clock or SystemClock()
    app = _session(Vault.recover(data_dir, recovery_code, clock), username, clock)
    try:
        app.new_recovery_code = app.users.recover_own_access(new_passphrase, person=person)
    except BaseException:
        app.close()
        raise
    return app
