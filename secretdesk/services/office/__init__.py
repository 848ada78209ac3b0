"""The supervising office (cơ quan cấp trên): pinning unit keys, importing their signed report
packages, consolidating statistics and reconciling cross-unit handovers (DOMAIN.md §8).

The office keeps its own encrypted vault (created like a unit's). A unit key is pinned only
under the unit code and with the fingerprint both typed from the unit's paper report (the
comment line of unit.pub is not signed: it may only agree); a key pinned by mistake is retired
(``untrust``, audited, the row kept) and no longer used. An import accepts a package only when:

- both its signatures verify against a pinned key in use (an unknown key is rejected; key ids
  are not unique, so every key with the id named is tried) and it is complete;
- its signed ``unit=`` is the unit the signing key was pinned for;
- report.json follows the schema and repeats the signed unit, kind, period, seq and head;
- its sequence number is new and above every one received from that unit (a replay or an
  older package is rejected; numbers skipped are accepted with a warning naming them);
- its audit-chain head is later than the head of every earlier package of the unit. A head
  that went backwards, or a second package under a number already received, means the
  unit's database was rolled back to an older copy (or copied): rejected, loudly.

Each folder gets its own outcome: a folder that cannot be read, or any refusal while checking
one package, rejects that package only, never the rest of the batch.

The package, by concern (each module under ~400 lines):

- ``keys``: pinning unit keys (trust, untrust, rotate);
- ``imports``: verifying and admitting packages (and ``figures``, the check of their figures);
- ``consolidation``: the summed annual statistics and each unit's packages;
- ``reconciliation``: handovers only one side recorded;
- ``service``: ``OfficeService``, the one object the front ends use, made of the four;
- ``errors``: refusals and warnings;
- report.json itself (format version 1) is services/report_v1.py, and the check of a verified
  package services/package_v1.py, shared with the export.

The names the front ends import are re-exported here.
"""

from secretdesk.services.office.consolidation import OfficeSummary, UnitOverview, UnitTotals
from secretdesk.services.office.errors import (
    AlreadyImported,
    FiguresContradict,
    FingerprintMismatch,
    HistoryRewritten,
    NotVerified,
    OlderThanLatest,
    PackageInvalid,
    PackageUnreadable,
    PeriodInvalid,
    RetiredKeyAfterRotation,
    RotationPending,
    RotationRefused,
    SequenceGap,
    TrustRefused,
    UnitClaimMismatch,
    UnitRolledBack,
    UnknownUnitKey,
    UntrustRefused,
)
from secretdesk.services.office.figures import MAX_COUNT, figures_problem
from secretdesk.services.office.imports import (
    PACKAGE_PREFIX,
    ImportOutcome,
    find_packages,
    format_range,
)
from secretdesk.services.office.keys import normalise_fingerprint
from secretdesk.services.office.reconciliation import NOT_DISPATCHED, NOT_RECEIVED, Discrepancy
from secretdesk.services.office.service import OfficeService

__all__ = [
    "MAX_COUNT",
    "NOT_DISPATCHED",
    "NOT_RECEIVED",
    "PACKAGE_PREFIX",
    "AlreadyImported",
    "Discrepancy",
    "FiguresContradict",
    "FingerprintMismatch",
    "HistoryRewritten",
    "ImportOutcome",
    "NotVerified",
    "OfficeService",
    "OfficeSummary",
    "OlderThanLatest",
    "PackageInvalid",
    "PackageUnreadable",
    "PeriodInvalid",
    "RetiredKeyAfterRotation",
    "RotationPending",
    "RotationRefused",
    "SequenceGap",
    "TrustRefused",
    "UnitClaimMismatch",
    "UnitOverview",
    "UnitRolledBack",
    "UnitTotals",
    "UnknownUnitKey",
    "UntrustRefused",
    "figures_problem",
    "find_packages",
    "format_range",
    "normalise_fingerprint",
]
