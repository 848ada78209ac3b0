"""What a printout shows: plain frozen dataclasses, filled by the services from the register.

Nothing here touches the database. Values are already in the form they are printed in
(strings, dates, levels); the renderers only format dates and level names. Fields that the
form layouts may name as table columns are listed per table in ``TABLE_FIELDS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from enum import StrEnum

from secretdesk.domain.custody import CopyState
from secretdesk.domain.handovers import HandoverKind as HandoverKind  # the slip's kinds
from secretdesk.domain.levels import Level


@dataclass(frozen=True)
class UnitHeader:
    """The issuing unit as printed at the top of a form."""

    superior_body: str  # cơ quan, tổ chức chủ quản cấp trên
    unit_name: str  # cơ quan, tổ chức
    unit_code: str
    place: str  # địa danh, for "Quảng Ngãi, ngày ... tháng ... năm ..."


@dataclass(frozen=True)
class ChainHead:
    """The head of the audit chain when the printout was made."""

    seq: int
    hash: str

    def printed(self) -> str:
        return f"{self.seq}:{self.hash[:16]}"


@dataclass(frozen=True)
class PrintStamp:
    """Who printed, when, and the audit-chain head then: shown in every page footer.

    The same data and stamp give byte-identical PDF files.
    """

    printed_at: datetime
    printed_by: str
    chain_head: ChainHead


# ---------------------------------------------------------------------------- registers


class RegisterKind(StrEnum):
    """The register books that are printed (sổ đăng ký)."""

    OUTGOING = "outgoing"  # sổ đăng ký bí mật nhà nước đi
    INCOMING = "incoming"  # sổ đăng ký bí mật nhà nước đến
    INTERNAL = "internal"  # lưu hành nội bộ: no form of its own, laid out as the outgoing one
    COPIES = "copies"  # sổ quản lý sao, chụp bí mật nhà nước
    HANDOVERS = "handovers"  # sổ chuyển giao bí mật nhà nước
    DESTRUCTION = "destruction"  # sổ theo dõi tiêu hủy

    @property
    def form_kind(self) -> str:
        return f"register_{self.value}"


def _words(names: str) -> frozenset[str]:
    return frozenset(names.split())


# Fields a register row may carry, per register. "level" is not a cell: it comes from
# RegisterEntry.level. "summary" (trích yếu) of a Tuyệt mật row is printed only where the
# layout's basis allows it with consent and the entry names who consented.
# "receiver_signature" (Ký nhận) is left blank for the receiver to sign by hand.
REGISTER_FIELDS: Mapping[RegisterKind, frozenset[str]] = {
    RegisterKind.OUTGOING: _words(
        "number registered_on doc_date number_symbol doc_type summary level urgency "
        "container_kind signer drafter recipients copies copy_numbers pages storage "
        "file_copy_holder receiver_signature note"
    ),
    # Items that circulate only inside the unit: the outgoing register's columns, "recipients"
    # being the unit's own offices and people (the layouts say this is not yet confirmed).
    RegisterKind.INTERNAL: _words(
        "number registered_on doc_date number_symbol doc_type summary level urgency "
        "container_kind signer drafter recipients copies copy_numbers pages storage "
        "file_copy_holder receiver_signature note"
    ),
    RegisterKind.INCOMING: _words(
        "number received_on issuer number_symbol doc_date doc_type summary level urgency "
        "container_kind handled_by copies copy_numbers pages unopened storage "
        "file_copy_holder receiver_signature note"
    ),
    RegisterKind.COPIES: _words(
        "number copied_on number_symbol summary level copy_form source_copy "
        "copies_authorised copies_made copy_numbers authoriser copier place recipients "
        "note"
    ),
    RegisterKind.HANDOVERS: _words(
        "number handed_on handover_kind number_symbol level copy_numbers pages sender "
        "recipient courier receipt_status receiver_signature note"
    ),
    RegisterKind.DESTRUCTION: _words(
        "number destroyed_on decision_ref number_symbol summary level copy_numbers pages "
        "grounds method council minutes_ref note"
    ),
}
SUMMARY_FIELD = "summary"
LEVEL_FIELD = "level"

# Fields a register cover page may show (từ RegisterData and its unit).
COVER_FIELDS = _words(
    "superior_body unit_name unit_code year volume opened closed first_number last_number"
)


@dataclass(frozen=True)
class RegisterEntry:
    """One numbered row. A cancelled entry keeps its number and prints as cancelled."""

    cells: Mapping[str, str]
    level: Level | None = None
    cancelled: bool = False
    # who consented to a Tuyệt mật summary (ND26 Art. 4.1) and when; empty: no consent.
    # The consented summary itself travels here, never in ``cells``, so that no other use
    # of the cells (an export, a screen) can carry a Tuyệt mật summary by mistake.
    consent_by: str = ""
    consent_on: date | None = None
    consented_summary: str = ""
    # how a destruction case ended without a destruction: "refused" or "withdrawn" (why, when)
    outcome: str = ""
    outcome_reason: str = ""
    outcome_on: date | None = None


@dataclass(frozen=True)
class RegisterData:
    """One register book (quyển sổ) of one year, with its entries in number order."""

    kind: RegisterKind
    unit: UnitHeader
    year: int
    volume: int
    opened: date
    closed: date | None
    first_number: int | None
    last_number: int | None
    entries: tuple[RegisterEntry, ...]
    hidden: int = 0  # entries above the reader's clearance, left out (said on the page)


# ------------------------------------------------------------------------ receipt slip


@dataclass(frozen=True)
class DocumentLine:
    """One item on a slip or a permit: which document, which copies."""

    number_symbol: str  # số, ký hiệu
    doc_date: date | None
    level: Level
    copy_numbers: str  # "1, 3-5"
    pages: int | None = None
    urgency: str = ""  # Khẩn, Thượng khẩn, Hỏa tốc
    doc_type: str = ""  # tên loại (permit, ND26 Art. 5)
    summary: str = ""  # trích yếu (permit); a Tuyệt mật summary is never printed there


@dataclass(frozen=True)
class SlipData:
    """Phiếu gửi / giấy biên nhận for one handover; its code is made from number, year and
    the chain head of the print stamp (see ``slipcode``)."""

    unit: UnitHeader
    number: int
    year: int
    handed_at: datetime
    kind: HandoverKind
    sender: str
    recipient_body: str
    recipient_person: str
    lines: tuple[DocumentLine, ...]
    envelope_marks: tuple[str, ...] = ()
    courier: str = ""


# ------------------------------------------------------------------------------ labels


class Envelope(StrEnum):
    """Which envelope a label goes on (ND26 Art. 4.1).

    Tuyệt mật goes in two envelopes: the INNER one carries the number and symbol, the
    recipient, the level stamp and "Chỉ người có tên mới được bóc bì" when named; the OUTER
    one is addressed like ordinary mail plus the letter "A", nothing else. Tối mật and Mật
    go in ONE envelope marked "B" or "C"."""

    INNER = "inner"
    OUTER = "outer"
    SINGLE = "single"


@dataclass(frozen=True)
class EnvelopeLabel:
    """Nhãn phong bì: what one envelope shows (see ``Envelope``)."""

    level: Level
    number_symbol: str
    addressee: str
    urgency: str = ""
    named_addressee_only: bool = False  # "Chỉ người có tên mới được bóc bì"
    named_addressee: str = ""
    recall: bool = False  # "Tài liệu thu hồi"
    recall_deadline: date | None = None
    envelope: Envelope = Envelope.SINGLE
    sender: str = ""  # the sending unit, as on ordinary mail (outer envelope)

    @property
    def letter(self) -> str:
        return self.level.letter

    @property
    def fits_the_rule(self) -> bool:
        """Two envelopes (inner and outer) for Tuyệt mật, a single one otherwise."""
        two = self.level is Level.TUYET_MAT
        return (self.envelope is not Envelope.SINGLE) == two


def envelopes_for(label: EnvelopeLabel, sender: str) -> tuple[EnvelopeLabel, ...]:
    """The labels one item needs: outer and inner for Tuyệt mật, one for Tối mật and Mật."""
    if label.level is not Level.TUYET_MAT:
        return (replace(label, envelope=Envelope.SINGLE, sender=sender),)
    return (
        replace(label, envelope=Envelope.OUTER, sender=sender),
        replace(label, envelope=Envelope.INNER, sender=sender),
    )


@dataclass(frozen=True)
class CopyLabel:
    """Nhãn bản sao: "Bản sao số x" and where the copy comes from."""

    copy_number: int
    level: Level
    provenance: str  # hình thức sao, bản gốc, người cho phép, người sao, thời gian, nơi nhận


@dataclass(frozen=True)
class LabelData:
    """A sheet run of labels; ``skip`` positions of the first sheet were used already."""

    unit: UnitHeader
    labels: tuple[EnvelopeLabel | CopyLabel, ...]
    skip: int = 0


# ----------------------------------------------------------------- destruction minutes


@dataclass(frozen=True)
class CouncilMember:
    name: str
    position: str  # chức vụ
    role: str  # nhiệm vụ trong hội đồng: Chủ tịch, Thành viên, ...


@dataclass(frozen=True)
class DestroyedCopy:
    number_symbol: str
    doc_date: date | None
    level: Level
    copy_numbers: str
    pages: int | None
    grounds: str  # lý do tiêu hủy


@dataclass(frozen=True)
class MinutesData:
    """Biên bản tiêu hủy tài liệu, vật chứa bí mật nhà nước."""

    unit: UnitHeader
    case_number: int
    year: int
    decision_ref: str  # "Quyết định số 12/QĐ-... ngày ... của ..."
    destroyed_at: datetime
    place: str
    method: str
    members: tuple[CouncilMember, ...]
    copies: tuple[DestroyedCopy, ...]
    council_decision: str = ""  # the decision establishing the council (Law 2018 Art. 23.4)
    emergency: bool = False  # destroyed by the holder alone, reported in writing at once
    holder: str = ""  # the holder who destroyed (emergency)
    report: str = ""  # the written report to the head (emergency)


# -------------------------------------------------------------------- take-out permit


@dataclass(frozen=True)
class TakeOutPermitData:
    """Giấy phép mang tài liệu, vật chứa bí mật nhà nước ra khỏi nơi lưu giữ."""

    unit: UnitHeader
    number: int
    year: int
    issued_on: date
    requester: str
    requester_position: str
    purpose: str
    destination: str
    out_from: datetime
    due_back: datetime
    protection_measures: str
    items: tuple[DocumentLine, ...]
    approver: str
    approver_position: str
    requester_unit: str = ""  # ND26 Art. 5: the requester's unit
    abroad: bool = False  # taking items abroad (Law 2018 Art. 14.2), its own kind
    delegation_head: str = ""  # the head of the delegation it is reported to (abroad)
    closing_report: str = ""  # the report on management and use (ND26 Art. 5)
    returned_on: date | None = None  # when the items came back
    # provision to a foreign body or person (Art. 16): the decision printed on this form
    foreign: bool = False
    requesting_body: str = ""
    nationality: str = ""  # of the body's representative (Art. 16.3)
    passport: str = ""
    commitment: str = ""
    authority: str = ""  # the deciding post and the article, "Thủ tướng Chính phủ (Điều 16 …)"


# --------------------------------------------------------------------------- inventory


@dataclass(frozen=True)
class InventoryRow:
    number_symbol: str
    level: Level
    copy_number: str
    state: CopyState
    holder: str
    location: str = ""


@dataclass(frozen=True)
class Discrepancy:
    """A difference found by a muster (kiểm đếm thực tế) against the register."""

    copy: str
    recorded: str  # what the register says
    found: str  # what the muster found
    note: str = ""


@dataclass(frozen=True)
class InventoryData:
    unit: UnitHeader
    as_of: date
    rows: tuple[InventoryRow, ...]
    discrepancies: tuple[Discrepancy, ...] = ()
    mustered: bool = False  # a physical muster was made; print the discrepancy section
    hidden: int = 0  # copies above the reader's clearance, left out (said on the page)
    # receipts and destructions with no scan of the signed paper in the vault (issue 18)
    evidence_gaps: tuple[str, ...] = ()


# ----------------------------------------------------------------------- annual report


@dataclass(frozen=True)
class IncidentCase:
    """A leak or loss in the year (ND26 Art. 8, part c): what, cause, handling, remedy."""

    day: date
    kind: str  # "Lộ" / "Mất" as printed
    item: str  # number and symbol, copy
    description: str
    cause: str = ""
    handling: str = ""
    remedy: str = ""


@dataclass(frozen=True)
class AnnualReportData:
    """Thống kê, báo cáo hằng năm; ``events`` maps an event kind named in the layout to
    counts by level. Mappings make instances unhashable; they are never hashed."""

    unit: UnitHeader
    year: int
    window_start: date
    window_end: date
    held_by_level: Mapping[Level, int]
    events: Mapping[str, Mapping[Level, int]]
    findings: tuple[str, ...] = ()
    key_fingerprint: str = ""
    # the four parts of ND26 Art. 8: (a) situation, (b) results, strengths, limits and
    # lessons, (d) forecast and proposals, typed by the unit; (c) the leak and loss cases
    situation: str = ""
    results: str = ""
    cases: tuple[IncidentCase, ...] = ()
    forecast: str = ""
    due: date | None = None  # the deadline of the basis in force


# ------------------------------------------------------------- statistics list (Art. 12.1)


@dataclass(frozen=True)
class StatisticsRow:
    """One item received or issued, for the yearly statistics list (Law 2018 Art. 12.1):
    printed in time order under its level."""

    day: date  # the day it was registered (received or issued)
    direction: str  # "Đến" / "Đi" as printed
    number: str  # the register number
    number_symbol: str
    counterpart: str  # the issuing body (received) or the recipients (issued)
    summary: str  # tên loại và trích yếu; never printed for a Tuyệt mật item
    copies: str
    list_basis: str  # the decision and entry of the list of secrets, when recorded
    level: Level


@dataclass(frozen=True)
class StatisticsListData:
    """Thống kê tài liệu, vật chứa bí mật nhà nước đã tiếp nhận, phát hành theo trình tự thời
    gian và từng độ mật, for a reporting window."""

    unit: UnitHeader
    year: int
    window_start: date
    window_end: date
    rows: tuple[StatisticsRow, ...]
    hidden: int = 0  # items above the reader's clearance, left out (said on the page)


# Table name -> fields a layout column may name. "index" is the running number (STT).
INDEX_FIELD = "index"
COUNT_FIELDS = frozenset({"label", "tuyet_mat", "toi_mat", "mat", "total"})


def _names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls)) | {INDEX_FIELD}


TABLE_FIELDS: Mapping[str, Mapping[str, frozenset[str]]] = {
    "slip": {"lines": _names(DocumentLine)},
    "minutes": {"members": _names(CouncilMember), "copies": _names(DestroyedCopy)},
    "take_out_permit": {"items": _names(DocumentLine)},
    "inventory": {"rows": _names(InventoryRow), "discrepancies": _names(Discrepancy)},
    "annual_report": {
        "held": COUNT_FIELDS | {INDEX_FIELD},
        "events": COUNT_FIELDS | {INDEX_FIELD},
        "cases": _names(IncidentCase),
    },
    "statistics": {"rows": _names(StatisticsRow)},
    **{kind.form_kind: {"entries": REGISTER_FIELDS[kind]} for kind in RegisterKind},
}
