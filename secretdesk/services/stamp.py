"""The one document stamp and unit header shared by printing, exports and the office.

Every paper the program makes (a print, the report.pdf inside an export, the office's
consolidated report) is stamped here, so the time printed is always the local time of the
machine (the clock gives UTC) and the header always comes from the same unit record.
"""

from __future__ import annotations

from secretdesk.domain.roles import Actor
from secretdesk.reports.model import ChainHead, PrintStamp, UnitHeader
from secretdesk.storage.unit import UnitRecord
from secretdesk.system.clock import Clock


def unit_header(record: UnitRecord) -> UnitHeader:
    """The issuing unit as printed at the top of every form."""
    return UnitHeader(record.superior_body, record.name, record.code, record.place)


def document_stamp(clock: Clock, actor: Actor, head_seq: int, head_hash: str) -> PrintStamp:
    """Who prints, when (local time, whole seconds) and the audit head the paper carries."""
    return PrintStamp(
        printed_at=clock.now().astimezone().replace(microsecond=0),
        printed_by=actor.full_name or actor.username,
        chain_head=ChainHead(head_seq, head_hash),
    )
