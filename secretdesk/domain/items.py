"""Items (tài liệu, vật chứa bí mật nhà nước) and what registering one requires."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from secretdesk.domain.errors import DomainError
from secretdesk.domain.legal import LegalBasis, SummaryRule
from secretdesk.domain.levels import Level
from secretdesk.domain.text import fold, nfc
from secretdesk.i18n import N_, LazyText


class Direction(StrEnum):
    OUTGOING = "outgoing"  # sổ đăng ký văn bản đi
    INCOMING = "incoming"  # sổ đăng ký văn bản đến
    INTERNAL = "internal"  # lưu hành nội bộ


class Container(StrEnum):
    PAPER = "paper"
    ELECTRONIC = "electronic"  # electronic file on removable media
    OBJECT = "object"
    MAP = "map"
    PHOTO = "photo"  # photo or recording
    OTHER = "other"

    @property
    def label_vi(self) -> str:
        return _CONTAINER_LABELS[self.value]


_CONTAINER_LABELS = {
    "paper": "Tài liệu giấy",
    "electronic": "Tệp điện tử trên thiết bị lưu trữ",
    "object": "Vật chứa",
    "map": "Bản đồ",
    "photo": "Ảnh, ghi âm, ghi hình",
    "other": "Khác",
}


class Urgency(StrEnum):
    KHAN = "khan"  # Khẩn
    THUONG_KHAN = "thuong-khan"  # Thượng khẩn
    HOA_TOC = "hoa-toc"  # Hỏa tốc

    @property
    def label_vi(self) -> str:
        return {"khan": "Khẩn", "thuong-khan": "Thượng khẩn", "hoa-toc": "Hỏa tốc"}[self.value]


class Origin(StrEnum):
    DRAFTED = "drafted"
    RECEIVED = "received"
    COPIED = "copied"


class InvalidItem(DomainError):
    code = "item.invalid"
    message = N_("The item cannot be registered: {reason}.")


class SummaryForbidden(DomainError):
    code = "item.tuyet_mat_summary"
    message = N_(
        "The summary of a Tuyệt mật item may not be recorded under {basis}{condition} ({article})."
    )


class ConsentUnnamed(SummaryForbidden):
    code = "item.summary_consent_unnamed"
    message = N_(
        "A Tuyệt mật summary is recorded only with the consent of the person competent to "
        "classify ({article}): name who consented."
    )


MAX_COPIES_AT_REGISTRATION = 500


@dataclass(frozen=True)
class Registration:
    """What the clerk enters to register an item (one line of the register)."""

    direction: Direction
    level: Level
    number_symbol: str
    doc_date: date
    copies: int
    doc_type: str = ""
    issuer: str = ""
    summary: str = ""
    summary_consent: bool = False
    summary_consent_by: str = ""  # who consented (the person competent to classify)
    summary_consent_on: date | None = None  # when; the registration day when not given
    list_decision: str = ""  # decision issuing the list of secrets the item falls under
    list_entry: str = ""  # the entry (mục) of that list
    file_copy_holder: str = ""  # đơn vị, người nhận bản lưu
    container: Container = Container.PAPER
    urgency: Urgency | None = None
    pages: int | None = None
    classifier: str = ""
    classified_on: date | None = None
    shorter_until: date | None = None
    copying_allowed: bool = True
    recall_by: date | None = None
    named_addressee: str = ""
    recipients: str = ""
    drafter: str = ""
    storage_location: str = ""
    origin: Origin | None = None
    extra_search: tuple[str, ...] = field(default=())

    def normalised(self) -> Registration:
        """Vietnamese text in NFC, surrounding spaces removed."""

        def clean(text: str) -> str:
            return nfc(text).strip()

        return Registration(
            **{
                **self.__dict__,
                "number_symbol": clean(self.number_symbol),
                "doc_type": clean(self.doc_type),
                "issuer": clean(self.issuer),
                "summary": clean(self.summary),
                "classifier": clean(self.classifier),
                "summary_consent_by": clean(self.summary_consent_by),
                "list_decision": clean(self.list_decision),
                "list_entry": clean(self.list_entry),
                "file_copy_holder": clean(self.file_copy_holder),
                "named_addressee": clean(self.named_addressee),
                "recipients": clean(self.recipients),
                "drafter": clean(self.drafter),
                "storage_location": clean(self.storage_location),
            }
        )

    @property
    def origin_or_default(self) -> Origin:
        if self.origin is not None:
            return self.origin
        return Origin.RECEIVED if self.direction is Direction.INCOMING else Origin.DRAFTED

    def validate(self, basis: LegalBasis, today: date) -> None:
        def refuse(reason: str, **params: object) -> InvalidItem:
            return InvalidItem(reason=LazyText(reason, **params))

        if not self.number_symbol:
            raise refuse(N_("the number and symbol are required"))
        if not 1 <= self.copies <= MAX_COPIES_AT_REGISTRATION:
            raise refuse(
                N_("the number of copies must be from 1 to {maximum}"),
                maximum=MAX_COPIES_AT_REGISTRATION,
            )
        if self.doc_date > today:
            raise refuse(N_("the document date is in the future"))
        if self.classified_on is not None and self.classified_on > today:
            raise refuse(N_("the classification date is in the future"))
        if self.pages is not None and self.pages < 0:
            raise refuse(N_("the number of pages cannot be negative"))
        if self.recall_by is not None and self.recall_by < self.doc_date:
            raise refuse(N_("the return deadline is before the document date"))
        if self.summary_consent_on is not None and self.summary_consent_on > today:
            raise refuse(N_("the date of the consent to the summary is in the future"))
        check_summary_rule(self.level, self.summary, self.summary_consent, basis, self.consenter)

    @property
    def consenter(self) -> str:
        """Who consented to the Tuyệt mật summary: as given, else the classifier."""
        return self.summary_consent_by or (self.classifier if self.summary_consent else "")

    def search_text(self) -> str:
        return search_text(
            number_symbol=self.number_symbol,
            doc_type=self.doc_type,
            issuer=self.issuer,
            summary=self.summary,
            recipients=self.recipients,
            named_addressee=self.named_addressee,
            drafter=self.drafter,
            level=self.level,
            extra=self.extra_search,
        )


def search_text(
    *,
    number_symbol: str,
    doc_type: str,
    issuer: str,
    summary: str,
    recipients: str,
    named_addressee: str,
    drafter: str,
    level: Level,
    extra: tuple[str, ...] = (),
) -> str:
    """What search looks in, folded. Rebuilt from these fields whenever the level changes,
    so a Tuyệt mật item never keeps searchable text its summary rule would refuse."""
    parts = [
        number_symbol,
        doc_type,
        issuer,
        summary,
        recipients,
        named_addressee,
        drafter,
        level.label_vi,
        *extra,
    ]
    return fold(" ".join(p for p in parts if p))


def check_summary_rule(
    level: Level, summary: str, consent: bool, basis: LegalBasis, consenter: str | None = None
) -> None:
    """Rule 9: a Tuyệt mật summary only where the legal basis in force allows it.

    ``consenter`` None skips naming who consented (a stored item whose consent is checked
    again); an empty name refuses a consented summary on a basis that asks for consent."""
    if level is not Level.TUYET_MAT or not summary.strip():
        return
    rule = basis.tuyet_mat_summary
    article = basis.cite("tuyet_mat_summary")
    if rule is SummaryRule.FORBIDDEN:
        raise SummaryForbidden(basis=basis.title, condition="", article=article)
    if rule is SummaryRule.WITH_CLASSIFIER_CONSENT and not consent:
        raise SummaryForbidden(
            basis=basis.title,
            condition=LazyText(N_(" without the classifier's consent")),
            article=article,
        )
    if rule is SummaryRule.WITH_CLASSIFIER_CONSENT and consenter is not None and not consenter:
        raise ConsentUnnamed(article=article)


@dataclass(frozen=True)
class Item:
    """A registered item (tài liệu, vật chứa BMNN): one line of an item register.

    Dates are ISO strings as stored (``doc_date`` a day, ``created_at`` UTC to the second)."""

    id: int
    entry_id: int
    book_kind: str  # the register it is entered in: incoming | internal | outgoing
    year: int
    number: int  # the entry number in that register and year
    cancelled: bool
    direction: str
    container: str
    number_symbol: str
    doc_date: str
    doc_type: str
    issuer: str
    summary: str | None
    level: Level
    urgency: str | None
    pages: int | None
    classifier: str
    classified_on: str
    shorter_until: str | None
    copying_allowed: bool
    recall_by: str | None
    named_addressee: str | None
    addressee_opened_at: str | None
    origin: str
    recipients: str
    copies_issued: int
    drafter: str
    storage_location: str
    legal_basis: str
    created_at: str

    @property
    def register_number(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def unopened(self) -> bool:
        """Rule 6: a named-addressee envelope stays unopened until that person confirms."""
        return bool(self.named_addressee) and self.addressee_opened_at is None

    def to_json(self) -> dict[str, Any]:
        """The item in ``--json`` output (README "JSON output"):

        ``id`` int, ``register`` str ("incoming 12/2026"), ``number_symbol`` str,
        ``doc_date`` str (ISO day), ``level`` a Level value, ``doc_type`` str, ``issuer`` str,
        ``summary`` str ("" when none), ``copies`` int (copies issued), ``cancelled`` bool,
        ``unopened`` bool."""
        return {
            "id": self.id,
            "register": f"{self.book_kind} {self.number}/{self.year}",
            "number_symbol": self.number_symbol,
            "doc_date": self.doc_date,
            "level": self.level.value,
            "doc_type": self.doc_type,
            "issuer": self.issuer,
            "summary": self.summary or "",
            "copies": self.copies_issued,
            "cancelled": self.cancelled,
            "unopened": self.unopened,
        }
