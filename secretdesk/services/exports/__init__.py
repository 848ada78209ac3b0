"""The unit's signed report packages for the supervising office (DESIGN.md §5, DOMAIN.md §8).

``ExportService.export`` gathers one report (annual statistics, inventory, register books or
the audit log of a period), renders its PDF, writes ``report.json`` (checked against
resources/schemas/report-v1.schema.json first) and ``checkpoint.txt``, and writes the signed
package with ``transfer.package.write_package``:

    SecretDesk_<unit>_<kind>_<period>_<seq>/   trusted comment: unit= kind= period= seq= head= tree=

``tree=SIZE:ROOT`` is the audit tree head (RFC 9162); report.json's ``tree`` repeats it with a
consistency proof from every tree head exported before, which the office checks against the
last head it accepted (services/office/). checkpoint.txt repeats the signed description and
is compared with it field by field.

A sequence number is never issued twice, and never taken for a package the writer would refuse
(the writer's checks of folder, name, space and write access run before the reservation
commits). The export reserves it: in one committed
transaction the report is gathered (with the chain head it carries), ``export.last_seq`` is
raised and the audit event ``export.started`` (seq, kind, period) is appended. Only then is
the package written, read back and verified, renamed to its final name, and ``export.written``
committed. A write that fails is recorded as ``export.failed``; a crash (or power cut) between
the final rename and ``export.written`` leaves a valid package whose number is reserved. Either
way a lost number is a gap that the office warns about, never a number used again.
``ExportService.unconfirmed()`` lists the exports started but neither written nor failed, so the
clerk can look for those packages.

Unless the user explicitly chose a plain folder, the target must lie on a removable volume: the
longest mount point of a removable volume that contains the target, on the same file system
(same ``st_dev``) as that mount point, and the package is written to the resolved path.

``verify_folder`` is what ``secretdesk verify`` runs (no vault needed); ``check_report`` is
shared with the office import (services/office/).

The package, by concern (each module under ~400 lines):

- ``writing``: ``ExportService``, the sequence number reserved and the package written;
- ``contents``: what a package holds (report.json filled for its kind, the PDFs, scans);
- ``targets``: the removable volume a package is written to, and ejecting it;
- ``verify``: the no-vault verification of the ``verify`` command;
- ``errors``: the refusals of an export;
- report.json itself (format version 1) is services/report_v1.py, and checkpoint.txt, unit.pub's
  comment and the check of a verified package services/package_v1.py, shared with the office.

The names the front ends import are re-exported here.
"""

from secretdesk.services.exports.contents import REGISTER_BOOKS
from secretdesk.services.exports.errors import (
    ExportNotRecorded,
    ExportRefused,
    KeyFileUnusable,
    NotRemovable,
    UnitLabelMismatch,
)
from secretdesk.services.exports.verify import load_keyring, verify_folder, with_unit_checks
from secretdesk.services.exports.writing import KINDS, ExportResult, ExportService, parse_period
from secretdesk.services.package_v1 import (
    UNIT_PUB_COMMENT,
    FileTooLargeToRead,
    SignedReport,
    check_report,
    checkpoint_problems,
    checkpoint_text,
    parse_unit_pub_comment,
    read_signed,
    unit_pub_comment,
)
from secretdesk.services.report_v1 import (
    CHECKPOINT,
    FORMAT,
    FORMAT_VERSION,
    MAX_REPORT_BYTES,
    MAX_REPORT_DEPTH,
    MAX_SEQ,
    REPORT_JSON,
    REPORT_PDF,
    SCHEMA_FILE,
    ReportDisagrees,
    ReportInvalid,
    ReportUnreadable,
    TreeProofInvalid,
    encode_report,
    parse_report_json,
    report_schema,
    report_structure,
    schema_errors,
    signed_tree,
    tree_problems,
    validate_report,
)
from secretdesk.storage.office import ExportRecord
from secretdesk.transfer.errors import EjectFailed
from secretdesk.transfer.media import Volume, list_removable_volumes
from secretdesk.transfer.verify import Verdict

__all__ = [
    "CHECKPOINT",
    "FORMAT",
    "FORMAT_VERSION",
    "KINDS",
    "MAX_REPORT_BYTES",
    "MAX_REPORT_DEPTH",
    "MAX_SEQ",
    "REGISTER_BOOKS",
    "REPORT_JSON",
    "REPORT_PDF",
    "SCHEMA_FILE",
    "UNIT_PUB_COMMENT",
    "EjectFailed",
    "ExportNotRecorded",
    "ExportRecord",
    "ExportRefused",
    "ExportResult",
    "ExportService",
    "FileTooLargeToRead",
    "KeyFileUnusable",
    "NotRemovable",
    "ReportDisagrees",
    "ReportInvalid",
    "ReportUnreadable",
    "SignedReport",
    "TreeProofInvalid",
    "UnitLabelMismatch",
    "Verdict",
    "Volume",
    "check_report",
    "checkpoint_problems",
    "checkpoint_text",
    "encode_report",
    "list_removable_volumes",
    "load_keyring",
    "parse_period",
    "parse_report_json",
    "parse_unit_pub_comment",
    "read_signed",
    "report_schema",
    "report_structure",
    "schema_errors",
    "signed_tree",
    "tree_problems",
    "unit_pub_comment",
    "validate_report",
    "verify_folder",
    "with_unit_checks",
]
