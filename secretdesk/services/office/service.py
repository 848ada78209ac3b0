"""The office's service: keys, imports, consolidation and reconciliation in one object."""

from __future__ import annotations

from secretdesk.services.context import ServiceContext
from secretdesk.services.office.consolidation import Consolidation
from secretdesk.services.office.imports import PackageImports
from secretdesk.services.office.keys import OfficeKeys
from secretdesk.services.office.reconciliation import Reconciliation


class OfficeService(OfficeKeys, PackageImports, Consolidation, Reconciliation):
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
