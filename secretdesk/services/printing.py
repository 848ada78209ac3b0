"""Printouts (DESIGN.md §4): gather the data, render PDF bytes with reports/, record the print.

Every print is an audit event (a printout of a register is a secret too), carrying the
SHA-256 of the PDF, so a reprint can be compared with the original. The page footers show
the audit-chain head as it was just before the print.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from functools import cached_property, lru_cache
from typing import Any

from secretdesk.crypto.signing import fingerprint
from secretdesk.domain.handovers import Handover
from secretdesk.domain.items import Container, Urgency
from secretdesk.domain.levels import Level
from secretdesk.domain.numbering import number_ranges
from secretdesk.domain.roles import Permission
from secretdesk.domain.text import nfc
from secretdesk.i18n import N_, LazyText, label
from secretdesk.reports import model
from secretdesk.reports.annual import render_annual_report
from secretdesk.reports.inventory import render_inventory
from secretdesk.reports.labels import render_labels
from secretdesk.reports.minutes import render_minutes
from secretdesk.reports.permit import render_permit
from secretdesk.reports.registers import render_register
from secretdesk.reports.slip import render_slip
from secretdesk.reports.slipcode import parse_slip_code, slip_check
from secretdesk.reports.statistics_list import render_statistics_list
from secretdesk.services.attachments import AttachmentService
from secretdesk.services.context import ServiceContext
from secretdesk.services.destruction import DestructionService
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.services.handovers import HandoverService
from secretdesk.services.incidents import IncidentService
from secretdesk.services.inventory import InventoryService
from secretdesk.services.items import NotCleared, load_item
from secretdesk.services.permits import PermitService
from secretdesk.services.registry import basis_on, book_label
from secretdesk.services.stamp import document_stamp, unit_header
from secretdesk.services.statistics import AnnualStatistics, StatisticsService, reporting_window
from secretdesk.storage import audit, items, legal, printing, registry, unit, users, workflow

_HANDOVER_KIND_TEXT = {  # as the slip's form words them
    "dispatch": "Gửi cơ quan, tổ chức khác",
    "issue": "Giao cho cá nhân trong đơn vị",
    "return": "Cá nhân trả lại",
    "receive": "Nhận từ cơ quan, tổ chức khác",
    "recall-return": "Trả lại tài liệu thu hồi",
}
_DOCUMENTS = {  # what a print is, as named in a refusal
    "slip": N_("Receipt slip"),
    "labels": N_("Label sheet"),
    "minutes": N_("Destruction minutes"),
    "register": N_("Register"),
    "annual": N_("Annual report"),
    "inventory": N_("Inventory"),
    "permit": N_("Permit"),
}
_COUNCIL_ROLES = {
    "chair": "Chủ tịch Hội đồng",
    "holder": "Người đang quản lý",
    "member": "Thành viên",
}
_FORMS = {
    "sao-y": "Sao y",
    "sao-luc": "Sao lục",
    "trich-sao": "Trích sao",
    "chup": "Chụp",
    "paper-to-electronic": "Chuyển từ giấy sang điện tử",
}


def _day(text: str | None) -> str:
    if not text:
        return ""
    return _printed_day(text[:10])


@lru_cache(maxsize=8192)
def _printed_day(day: str) -> str:
    """dd/mm/yyyy of an ISO day; a register repeats its days thousands of times."""
    return date.fromisoformat(day).strftime("%d/%m/%Y")


def _urgency(value: str | None) -> str:
    return Urgency(value).label_vi if value else ""


def _entry(cells: dict[str, str], row: dict[str, Any]) -> model.RegisterEntry:
    """An item's register line; a Tuyệt mật summary carries who consented to it, if anyone
    did (the register layout decides whether it is printed)."""
    level = Level(row["level"])
    consent_by = row.get("summary_consent_by") or ""
    consent_on = row.get("summary_consent_on")
    summary = ""
    if level is Level.TUYET_MAT:
        summary = cells.pop("summary", "") if consent_by else ""
        cells["summary"] = ""
    return model.RegisterEntry(
        cells,
        level,
        bool(row["cancelled"]),
        consent_by,
        date.fromisoformat(consent_on) if consent_by and consent_on else None,
        summary,
    )


def _due(year: int) -> date:
    """The deadline of the yearly report under the basis in force at the window's end."""
    window = basis_on(date(year, 12, 31)).reporting_window
    return date(year, window.due_month, window.due_day)


class PrintService:
    def __init__(
        self,
        ctx: ServiceContext,
        *,
        handovers: HandoverService | None = None,
        statistics: StatisticsService | None = None,
        destruction: DestructionService | None = None,
        inventory: InventoryService | None = None,
        permits: PermitService | None = None,
        attachments: Callable[[], AttachmentService] | None = None,
    ) -> None:
        """The composition root (app.py) passes the services whose data is printed;
        ``attachments`` is a callable because that service needs this one too. A caller that
        builds a PrintService on its own (the exporter) gets them built on first use."""
        self.ctx = ctx
        self._handovers = handovers
        self._statistics = statistics
        self._destruction = destruction
        self._inventory = inventory
        self._permits = permits
        self._attachments = attachments

    # -- collaborators: from the composition root, else built on first use --------------
    @cached_property
    def handovers_service(self) -> HandoverService:
        return self._handovers or HandoverService(self.ctx)

    @cached_property
    def statistics_service(self) -> StatisticsService:
        return self._statistics or StatisticsService(self.ctx, self.handovers_service)

    @cached_property
    def destruction_service(self) -> DestructionService:
        return self._destruction or DestructionService(self.ctx)

    @cached_property
    def inventory_service(self) -> InventoryService:
        return self._inventory or InventoryService(self.ctx)

    @cached_property
    def permits_service(self) -> PermitService:
        return self._permits or PermitService(self.ctx)

    @cached_property
    def attachments_service(self) -> AttachmentService:
        if self._attachments is not None:
            return self._attachments()
        return AttachmentService(
            self.ctx,
            handovers=self.handovers_service,
            destruction=self.destruction_service,
            permits=self.permits_service,
            incidents=IncidentService(self.ctx),
            printing=lambda: self,
        )

    # -- common --------------------------------------------------------------------------
    def unit_header(self) -> model.UnitHeader:
        record = unit.get(self.ctx.read())
        assert record is not None
        return unit_header(record)

    def _stamp(self) -> model.PrintStamp:
        """The footer stamp; its head is the audit tree head (size, root): what `audit
        check-head` checks and an office holds (papers printed before carry the chain head)."""
        tree = audit.tree_head(self.ctx.read())
        return document_stamp(self.ctx.clock, self.ctx.actor, tree.size, tree.root.hex())

    def _print(
        self,
        what: str,
        ref: str,
        render: Callable[[model.PrintStamp], bytes],
        reprint: bool = False,
    ) -> bytes:
        """A new print has a new stamp (who, when, the chain head now); a reprint reproduces
        the first print byte for byte from the stamp kept with its audit event, checks the
        bytes against the SHA-256 recorded then, and is marked as a reprint only in the
        audit log."""
        if reprint:
            return self._reprint(what, ref, render)
        stamp = self._stamp()
        pdf = render(stamp)
        with self.ctx.change(Permission.READ) as change:
            change.audit(
                f"print.{what}",
                what,
                ref,
                sha256=hashlib.sha256(pdf).hexdigest(),
                printed_at=stamp.printed_at.isoformat(),
                printed_by=stamp.printed_by,
                head=stamp.chain_head.seq,
                head_hash=stamp.chain_head.hash,
            )
        return pdf

    def _reprint(self, what: str, ref: str, render: Callable[[model.PrintStamp], bytes]) -> bytes:
        conn = self.ctx.read()
        document = label(_DOCUMENTS, what)
        shown = LazyText(N_("of item #{id}"), id=ref[5:]) if ref.startswith("item ") else ref
        printed = audit.events(conn, entity=what, entity_id=ref, action=f"print.{what}", limit=1)
        first = printed[0] if printed else None
        if first is None:
            raise InvalidRequest(
                reason=LazyText(
                    N_("{document} {ref} has never been printed: there is no original to reprint."),
                    document=document,
                    ref=shown,
                )
            )
        detail = first.detail
        head_seq = int(detail["head"])
        head_hash = detail.get("head_hash") or next(
            e.hash for e in audit.events(conn, after_seq=head_seq - 1, limit=1)
        )
        stamp = model.PrintStamp(
            printed_at=datetime.fromisoformat(detail["printed_at"]),
            printed_by=detail.get("printed_by") or self._full_name(first.actor),
            chain_head=model.ChainHead(head_seq, head_hash),
        )
        pdf = render(stamp)
        sha256 = hashlib.sha256(pdf).hexdigest()
        if sha256 != detail["sha256"]:
            raise InvalidRequest(
                reason=LazyText(
                    N_(
                        "A reprint of {document} {ref} would not be the original printed on"
                        " {printed_at}: its SHA-256 differs from the one recorded then (the"
                        " register or the fonts changed since). Print it anew instead."
                    ),
                    document=document,
                    ref=shown,
                    printed_at=stamp.printed_at.strftime("%d/%m/%Y %H:%M"),
                )
            )
        with self.ctx.change(Permission.READ) as change:
            change.audit(f"reprint.{what}", what, ref, sha256=sha256, original=first.seq)
        return pdf

    def _full_name(self, username: str | None) -> str:
        if not username:
            return ""
        actor = users.by_username(self.ctx.read(), username)
        return actor.full_name if actor and actor.full_name else username

    def _require_cleared(self, levels: list[Level], entity: str, ref: str | int) -> None:
        """Refuse (audited) a printout naming a record above the reader's clearance."""
        above = [level for level in levels if not self.ctx.actor.may_see(level)]
        if not above:
            return
        top = Level.highest(above)
        with self.ctx.change(Permission.READ) as change:
            change.audit("print.refused_clearance", entity, ref, level=top.value)
        raise NotCleared(user=self.ctx.actor.username, level=top.label_vi)

    # -- receipt slip --------------------------------------------------------------------
    def slip(self, year: int, number: int, *, reprint: bool = False) -> bytes:
        handover = self.handovers_service.find(year, number)
        data = self._slip_data(handover)
        return self._print(
            "slip", handover.label, lambda stamp: render_slip(data, None, stamp), reprint
        )

    def _slip_data(self, handover: Handover) -> model.SlipData:
        conn = self.ctx.read()
        lines = tuple(
            model.DocumentLine(
                number_symbol=row["number_symbol"],
                doc_date=date.fromisoformat(row["doc_date"]),
                level=Level(row["level"]),
                copy_numbers=row["copy_numbers"],
                pages=row["pages"],
                urgency=_urgency(row["urgency"]),
            )
            for row in printing.handover_lines(conn, handover.id)
        )
        self._require_cleared([line.level for line in lines], "handover", handover.label)
        return model.SlipData(
            unit=self.unit_header(),
            number=handover.number,
            year=handover.year,
            handed_at=datetime.fromisoformat(handover.handed_at).astimezone(),
            kind=handover.kind,
            sender=handover.sender,
            recipient_body=handover.recipient_body,
            recipient_person=handover.recipient_person,
            lines=lines,
            envelope_marks=tuple(m for m in handover.envelope_marks.split("; ") if m),
            courier=handover.courier,
        )

    def handover_from_slip_code(self, code: str) -> Handover:
        """The returned slip was scanned: find its handover and check the code was printed."""
        parsed = parse_slip_code(code)
        handover = self.handovers_service.find(parsed.year, parsed.number)
        printed = audit.events(
            self.ctx.read(), entity="slip", entity_id=handover.label, action="print.slip"
        )
        for event in printed:
            head_seq = int(event.detail.get("head", 0))
            conn = self.ctx.read()
            heads = [
                model.ChainHead(e.seq, e.hash)
                for e in audit.events(conn, after_seq=head_seq - 1, limit=1)
            ]
            if 0 < head_seq <= audit.tree_size(conn):  # slips printed with the tree head
                heads.append(model.ChainHead(head_seq, audit.tree_head(conn, head_seq).root.hex()))
            if any(slip_check(parsed.year, parsed.number, h) == parsed.check for h in heads):
                return handover
        raise InvalidRequest(
            reason=LazyText(
                N_("The scanned code does not match any printed slip of handover {number}."),
                number=handover.label,
            )
        )

    # -- registers -----------------------------------------------------------------------
    def register(self, kind: str, year: int, volume: int | None = None) -> bytes:
        data = self.register_data(kind, year, volume)
        return self._print(
            "register",
            f"{kind} {year}/{data.volume}",
            lambda stamp: render_register(data, None, stamp),
        )

    def register_data(
        self, kind: str, year: int, volume: int | None = None, *, allow_empty: bool = False
    ) -> model.RegisterData:
        """One register book as printed (the latest volume unless one is named)."""
        conn = self.ctx.read()
        books = [
            b for b in registry.books(conn, kind, year) if volume is None or b.volume == volume
        ]
        if not books and not allow_empty:
            raise NotFound(
                what=LazyText(N_("register book")),
                ref=LazyText("{book} {year}", book=book_label(kind), year=year),
            )
        book = (books[-1] if volume is None else books[0]) if books else None
        entries, hidden = self._register_entries(kind, book.id) if book else ([], 0)
        numbers = [int(e.cells["number"]) for e in entries]
        return model.RegisterData(
            kind=model.RegisterKind(kind),
            unit=self.unit_header(),
            year=year,
            volume=book.volume if book else 1,
            opened=date.fromisoformat(book.opened_on) if book else date(year, 1, 1),
            closed=date.fromisoformat(book.closed_on) if book and book.closed_on else None,
            first_number=min(numbers) if numbers else None,
            last_number=max(numbers) if numbers else None,
            entries=tuple(entries),
            hidden=hidden,
        )

    def _register_entries(self, kind: str, book_id: int) -> tuple[list[model.RegisterEntry], int]:
        """The book's lines the reader may see, and how many above their clearance were left out."""
        builders: dict[str, Callable[[Any], list[model.RegisterEntry]]] = {
            "outgoing": self._item_entries,
            "incoming": self._item_entries,
            "internal": self._item_entries,
            "copies": self._copy_entries,
            "handovers": self._handover_entries,
            "destruction": self._destruction_entries,
        }
        if kind not in builders:
            raise InvalidRequest(
                reason=LazyText(N_("The {kind} register cannot be printed yet."), kind=kind)
            )
        allowed = model.REGISTER_FIELDS[model.RegisterKind(kind)]
        built = builders[kind](book_id)
        visible = [e for e in built if e.level is None or self.ctx.actor.may_see(e.level)]
        return [
            replace(e, cells={k: v for k, v in e.cells.items() if k in allowed}) for e in visible
        ], len(built) - len(visible)

    def _item_entries(self, book_id: int) -> list[model.RegisterEntry]:
        conn = self.ctx.read()
        entries = []
        for row in printing.item_register(conn, book_id):
            originals = printing.numbers(row["originals"])
            cells = {
                "number": str(row["number"]),
                "registered_on": _day(row["created_at"]),
                "received_on": _day(row["created_at"]),
                "doc_date": _day(row["doc_date"]),
                "number_symbol": row["number_symbol"],
                "doc_type": row["doc_type"],
                "issuer": row["issuer"],
                "summary": row["summary"] or "",
                "urgency": _urgency(row["urgency"]),
                "container_kind": Container(row["container"]).label_vi,
                "drafter": row["drafter"],
                "signer": row["classifier"],
                "recipients": row["recipients"],
                "copies": str(row["copies_issued"]),
                "copy_numbers": number_ranges(originals),
                "pages": "" if row["pages"] is None else str(row["pages"]),
                "storage": row["storage_location"],
                "file_copy_holder": row["file_copy_holder"] or "",
                "handled_by": row["named_addressee"] or "",
                "unopened": "Chưa bóc bì"
                if row["named_addressee"] and not row["addressee_opened_at"]
                else "",
                "note": row["cancel_reason"] or "",
            }
            entries.append(_entry(cells, row))
        return entries

    def _copy_entries(self, book_id: int) -> list[model.RegisterEntry]:
        conn = self.ctx.read()
        entries = []
        for row in printing.copies_register(conn, book_id):
            made = printing.numbers(row["made"])
            cells = {
                "number": str(row["number"]),
                "copied_on": _day(row["copied_at"]),
                "number_symbol": row["number_symbol"],
                "summary": row["summary"] or "",
                "copy_form": _FORMS.get(row["form"], row["form"]),
                "source_copy": f"#{row['source_copy_id']}",
                "copies_authorised": str(row["authorised_count"] or ""),
                "copies_made": str(row["made_count"] or ""),
                "copy_numbers": number_ranges(made),
                "authoriser": self._full_name(row["approved_by"]),
                "copier": row["copied_by"] or "",
                "place": row["copied_place"] or "",
                "note": row["cancel_reason"] or "",
            }
            entries.append(_entry(cells, row))
        return entries

    def _handover_entries(self, book_id: int) -> list[model.RegisterEntry]:
        conn = self.ctx.read()
        entries = []
        for row in printing.handovers_register(conn, book_id):
            lines = printing.handover_lines(conn, row["handover_id"])
            levels = [Level(line["level"]) for line in lines]
            cells = {
                "number": str(row["number"]),
                "handed_on": _day(row["handed_at"]),
                "handover_kind": _HANDOVER_KIND_TEXT.get(row["kind"], row["kind"]),
                "number_symbol": "; ".join(line["number_symbol"] for line in lines),
                "copy_numbers": "; ".join(line["copy_numbers"] for line in lines),
                "pages": str(sum(line["pages"] or 0 for line in lines) or ""),
                "sender": row["sender"],
                "recipient": row["recipient_body"] or row["recipient_person"],
                "courier": row["courier"],
                "receipt_status": (
                    f"{row['receipt_by']} {_day(row['receipt_at'])}"
                    if row["receipt_by"]
                    else "Chưa có biên nhận"
                ),
                "note": row["cancel_reason"] or "",
            }
            entries.append(
                model.RegisterEntry(
                    cells, Level.highest(levels) if levels else None, bool(row["cancelled"])
                )
            )
        return entries

    def _destruction_entries(self, book_id: int) -> list[model.RegisterEntry]:
        conn = self.ctx.read()
        entries = []
        for row in printing.destruction_register(conn, book_id):
            lines = printing.destruction_lines(conn, row["case_id"])
            levels = [Level(line["level"]) for line in lines]
            cells = {
                "number": str(row["number"]),
                "destroyed_on": _day(row["destroyed_at"]),
                "decision_ref": row["decision_ref"]
                or ("Tiêu hủy khẩn cấp" if row["emergency"] else ""),
                "number_symbol": "; ".join(line["number_symbol"] for line in lines),
                "summary": "; ".join(line["summary"] or "" for line in lines).strip("; "),
                "copy_numbers": "; ".join(line["copy_numbers"] for line in lines),
                "pages": str(sum(line["pages"] or 0 for line in lines) or ""),
                "grounds": row["grounds"],
                "method": row["method"] or "",
                "council": ", ".join(printing.council_names(conn, row["case_id"])),
                "minutes_ref": f"{row['number']}" if row["status"] == "done" else "",
                "note": row["cancel_reason"] or "",
            }
            # A case that ended without a destruction says so (refused, or withdrawn and why)
            if row["withdrawn_at"]:
                outcome, reason, on = "withdrawn", row["withdrawn_reason"], row["withdrawn_at"]
            elif row["status"] == "refused":
                outcome, reason, on = "refused", "", row["approved_at"]
            else:
                outcome, reason, on = "", "", None
            entries.append(
                model.RegisterEntry(
                    cells,
                    Level.highest(levels) if levels else None,
                    bool(row["cancelled"]),
                    outcome=outcome,
                    outcome_reason=reason or "",
                    outcome_on=date.fromisoformat(on[:10]) if on else None,
                )
            )
        return entries

    # -- labels --------------------------------------------------------------------------
    def envelope_labels(self, year: int, number: int, *, reprint: bool = False) -> bytes:
        handover = self.handovers_service.find(year, number)
        conn = self.ctx.read()
        labels: list[model.EnvelopeLabel | model.CopyLabel] = []
        addressee = handover.recipient_body or handover.recipient_person
        sender = self.unit_header().unit_name
        rows = printing.handover_lines(conn, handover.id)
        self._require_cleared([Level(row["level"]) for row in rows], "handover", handover.label)
        for row in rows:
            # ND26 Art. 4.1: outer and inner labels for Tuyệt mật, one for Tối mật and Mật
            labels += model.envelopes_for(
                model.EnvelopeLabel(
                    level=Level(row["level"]),
                    number_symbol=row["number_symbol"],
                    addressee=addressee,
                    urgency=_urgency(row["urgency"]),
                    named_addressee_only=bool(row["named_addressee"]),
                    named_addressee=row["named_addressee"] or "",
                    recall=bool(row["recall_by"]),
                    recall_deadline=date.fromisoformat(row["recall_by"])
                    if row["recall_by"]
                    else None,
                ),
                sender,
            )
        data = model.LabelData(unit=self.unit_header(), labels=tuple(labels))
        return self._print(
            "labels", handover.label, lambda s: render_labels(data, None, s), reprint
        )

    def copy_labels(self, item_id: int, *, reprint: bool = False) -> bytes:
        conn = self.ctx.read()
        item = load_item(conn, item_id)
        self._require_cleared([item.level], "item", item_id)
        labels = []
        for copy in items.copies_of(conn, item_id):
            if copy.kind != "reproduction" or copy.reproduction_id is None:
                continue
            repro = workflow.get_reproduction(conn, copy.reproduction_id)
            assert repro is not None
            provenance = (
                f"{_FORMS.get(repro.form, repro.form)} từ {item.number_symbol}; "
                f"cho phép: {self._full_name(repro.approved_by)}; người sao: {repro.copied_by}; "
                f"ngày {_day(repro.copied_at)}"
            )
            labels.append(model.CopyLabel(copy.number, item.level, provenance))
        if not labels:
            raise InvalidRequest(
                reason=LazyText(N_("Item #{id} has no reproductions."), id=item_id)
            )
        data = model.LabelData(unit=self.unit_header(), labels=tuple(labels))
        return self._print(
            "labels", f"item {item_id}", lambda s: render_labels(data, None, s), reprint
        )

    # -- annual report -------------------------------------------------------------------
    def annual(
        self, year: int, *, situation: str = "", results: str = "", forecast: str = ""
    ) -> bytes:
        """The yearly report (ND26 Art. 8); the unit types parts I, II and IV."""
        data = replace(
            self.annual_data(year),
            situation=nfc(situation).strip(),
            results=nfc(results).strip(),
            forecast=nfc(forecast).strip(),
        )
        return self._print("annual", str(year), lambda s: render_annual_report(data, None, s))

    def annual_data(
        self,
        year: int,
        extra_findings: tuple[str, ...] = (),
        stats: AnnualStatistics | None = None,
    ) -> model.AnnualReportData:
        """``stats`` when the caller has them already (an export computes them once)."""
        stats = stats or self.statistics_service.annual(year)
        record = unit.get(self.ctx.read())
        assert record is not None
        return model.AnnualReportData(
            unit=self.unit_header(),
            year=year,
            window_start=stats.window_start,
            window_end=stats.window_end,
            held_by_level=stats.held_by_level,
            events=stats.events,
            findings=(
                *extra_findings,
                *(f.render("vi") for f in stats.findings),
                *self.attachments_service.gaps(stats.window_start, stats.window_end).lines("vi"),
            ),
            key_fingerprint=fingerprint(record.signing_public),
            cases=self._cases(stats.window_start, stats.window_end),
            due=_due(year),
        )

    def _cases(self, start: date, end: date) -> tuple[model.IncidentCase, ...]:
        """Leaks and losses in the window, for part III of the yearly report."""
        cases = []
        for row in legal.leak_loss_cases(self.ctx.read(), start.isoformat(), end.isoformat()):
            _id, day, kind, symbol, _level, copy_kind, copy_number, description = row[:8]
            cause, handling, remedy = row[8:]
            copy = (
                ""
                if copy_number is None
                else f"{'S' if copy_kind == 'reproduction' else ''}{copy_number}"
            )
            item = f"{symbol}, bản số {copy}" if symbol else ""
            cases.append(
                model.IncidentCase(
                    day=date.fromisoformat(day),
                    kind="Lộ" if kind == "leak" else "Mất",
                    item=item,
                    description=description,
                    cause=cause,
                    handling=handling,
                    remedy=remedy,
                )
            )
        return tuple(cases)

    # -- statistics list (Law 2018 Art. 12.1) ---------------------------------------------
    def statistics_list(self, year: int) -> bytes:
        data = self.statistics_list_data(year)
        return self._print("statistics", str(year), lambda s: render_statistics_list(data, None, s))

    def statistics_list_data(self, year: int) -> model.StatisticsListData:
        """Items received and issued in the year's reporting window, by time and level."""
        start, end, _confirmed = reporting_window(year)
        rows = []
        hidden = 0
        for row in legal.statistics_rows(self.ctx.read(), start.isoformat(), end.isoformat()):
            day, kind, number, symbol, issuer, recipients, doc_type, summary = row[:8]
            copies, level, decision, entry = row[8:]
            if not self.ctx.actor.may_see(Level(level)):
                hidden += 1  # above the reader's clearance: left out, the page says how many
                continue
            incoming = kind == "incoming"
            rows.append(
                model.StatisticsRow(
                    day=date.fromisoformat(day),
                    direction="Đến" if incoming else "Đi",
                    number=str(number),
                    number_symbol=symbol,
                    counterpart=issuer if incoming else recipients,
                    summary=" - ".join(x for x in (doc_type, summary) if x),
                    copies=str(copies),
                    list_basis=", ".join(x for x in (decision, entry) if x),
                    level=Level(level),
                )
            )
        return model.StatisticsListData(
            self.unit_header(), year, start, end, tuple(rows), hidden=hidden
        )

    # -- destruction minutes -------------------------------------------------------------
    def minutes(self, case_id: int, *, reprint: bool = False) -> bytes:
        # the minutes name each destroyed item: refused (audited) above the reader's clearance
        minutes = self.destruction_service.minutes(case_id, refused_as="print.refused_clearance")
        copies: dict[int, list[Any]] = {}
        for copy in minutes.copies:
            copies.setdefault(copy.item_id, []).append(copy)
        data = model.MinutesData(
            unit=self.unit_header(),
            case_number=minutes.case_number,
            year=minutes.year,
            decision_ref=minutes.decision_ref or minutes.report,
            destroyed_at=minutes.destroyed_at.astimezone(),
            place=minutes.place,
            method=minutes.method,
            members=tuple(
                model.CouncilMember(
                    seat.name, seat.position, _COUNCIL_ROLES.get(seat.role, seat.role)
                )
                for seat in minutes.council
            ),
            copies=tuple(
                model.DestroyedCopy(
                    number_symbol=group[0].number_symbol,
                    doc_date=date.fromisoformat(group[0].doc_date) if group[0].doc_date else None,
                    level=group[0].level,
                    copy_numbers=", ".join(c.copy_label for c in group),
                    pages=group[0].pages,
                    grounds=minutes.grounds,
                )
                for group in copies.values()
            ),
            council_decision=minutes.council_decision,
            emergency=minutes.emergency,
            holder=self._full_name(minutes.holder),
            report=minutes.report,
        )
        return self._print(
            "minutes", minutes.register_number, lambda s: render_minutes(data, None, s), reprint
        )

    # -- inventory -----------------------------------------------------------------------
    def inventory(self, at: date, muster_id: int | None = None) -> bytes:
        data = self.inventory_data(at, muster_id)
        return self._print("inventory", at.isoformat(), lambda s: render_inventory(data, None, s))

    def inventory_data(self, at: date, muster_id: int | None = None) -> model.InventoryData:
        service = self.inventory_service
        inventory = service.inventory(at)
        discrepancies: tuple[model.Discrepancy, ...] = ()
        if muster_id is not None:
            muster = service.get_muster(muster_id)
            discrepancies = tuple(
                model.Discrepancy(
                    copy=d.copy,
                    recorded=f"{d.recorded_state.label('vi')} - {d.recorded_holder}",
                    found="Có" if d.found else "Không tìm thấy",
                )
                for d in muster.discrepancies
            )
        data = model.InventoryData(
            unit=self.unit_header(),
            as_of=at,
            rows=tuple(
                model.InventoryRow(
                    line.number_symbol,
                    line.level,
                    line.copy_number,
                    line.state,
                    line.holder,
                    line.location,
                )
                for line in inventory.lines
            ),
            discrepancies=discrepancies,
            mustered=muster_id is not None,
            hidden=inventory.hidden,
            evidence_gaps=tuple(self.attachments_service.gaps(None, at).lines("vi")),
        )
        return data

    # -- take-out permit -----------------------------------------------------------------
    def _foreign_authority(self, permit_id: int, approver: str, day: date) -> str:
        """Who decided a provision to a foreign body or person: the post they held when they
        approved it (kept with the approval), or their name while the unit had given none,
        and Art. 16 of the basis in force that day."""
        basis = basis_on(day)
        conn = self.ctx.read()
        approvals = [
            event.detail
            for event in audit.events(
                conn, entity="permit", entity_id=str(permit_id), action="permit.approved"
            )
        ]
        if approvals and "post" in approvals[-1]:
            code = approvals[-1]["post"]
        else:  # approved before the post was kept with the approval
            code = legal.posts(conn).get(approver)
        post = basis.any_post(code) if code else None
        user = users.by_username(self.ctx.read(), approver)
        who = post.vi if post else (user.full_name if user and user.full_name else approver)
        return f"{who} ({basis.cite('provision_abroad').vi})"

    def permit(self, permit_id: int) -> bytes:
        document = self.permits_service.document(permit_id)
        permit = document.permit
        # the permit names its items and gives their summary: none above the reader's clearance
        self._require_cleared([line.level for line in document.lines], "permit", permit.id)
        legal_row = document.legal
        foreign = permit.kind == "provision" and bool(legal_row and legal_row.abroad)
        if (permit.kind != "take-out" and not foreign) or permit.approved_at is None:
            raise InvalidRequest(
                reason=LazyText(N_("Only an approved take-out permit can be printed."))
            )
        approved = datetime.fromisoformat(permit.approved_at).astimezone()
        closed = datetime.fromisoformat(permit.closed_at).astimezone() if permit.closed_at else None
        data = model.TakeOutPermitData(
            unit=self.unit_header(),
            number=permit.id,
            year=approved.year,
            issued_on=approved.date(),
            requester=permit.requester,
            requester_position=legal_row.requester_position if legal_row else "",
            purpose=permit.purpose,
            destination=permit.place,
            out_from=datetime.fromisoformat(permit.starts_at or permit.approved_at).astimezone(),
            due_back=datetime.fromisoformat(permit.ends_at or permit.approved_at).astimezone(),
            protection_measures=permit.protection,
            items=tuple(
                model.DocumentLine(
                    number_symbol=line.number_symbol,
                    doc_date=date.fromisoformat(line.doc_date) if line.doc_date else None,
                    level=line.level,
                    copy_numbers=", ".join(line.copy_labels),
                    pages=line.pages,
                    doc_type=line.doc_type,
                    summary=line.summary,
                )
                for line in document.lines
            ),
            approver=permit.approved_by or "",
            approver_position="",
            requester_unit=(legal_row.requester_unit if legal_row else "")
            or self.unit_header().unit_name,
            abroad=bool(legal_row and legal_row.abroad),
            delegation_head=legal_row.delegation_head if legal_row else "",
            closing_report=permit.closing_report or "",
            returned_on=closed.date() if closed else None,
            foreign=foreign,
            requesting_body=permit.requesting_body or "",
            nationality=document.foreign.nationality if document.foreign else "",
            passport=document.foreign.passport if document.foreign else "",
            commitment=permit.commitment or "",
            authority=self._foreign_authority(permit.id, permit.approved_by or "", approved.date())
            if foreign
            else "",
        )
        return self._print("permit", str(permit.id), lambda s: render_permit(data, None, s))
