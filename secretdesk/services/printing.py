"""Printouts (DESIGN.md §4): gather the data, render PDF bytes with reports/, record the print.

Every print is an audit event (a printout of a register is a secret too), carrying the
SHA-256 of the PDF, so a reprint can be compared with the original. The page footers show
the audit-chain head as it was just before the print.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from secretdesk.crypto.signing import fingerprint
from secretdesk.domain.items import Container, Urgency
from secretdesk.domain.levels import Level
from secretdesk.domain.numbering import number_ranges
from secretdesk.domain.roles import Permission
from secretdesk.i18n import N_, LazyText
from secretdesk.reports import model
from secretdesk.reports.annual import render_annual_report
from secretdesk.reports.inventory import render_inventory
from secretdesk.reports.labels import render_labels
from secretdesk.reports.minutes import render_minutes
from secretdesk.reports.permit import render_permit
from secretdesk.reports.registers import render_register
from secretdesk.reports.slip import render_slip
from secretdesk.reports.slipcode import parse_slip_code, slip_check
from secretdesk.services.context import ServiceContext
from secretdesk.services.destruction import DestructionService
from secretdesk.services.errors import InvalidRequest, NotFound
from secretdesk.services.handovers import HandoverService
from secretdesk.services.inventory import InventoryService
from secretdesk.services.items import load_item
from secretdesk.services.permits import PermitService
from secretdesk.services.statistics import StatisticsService
from secretdesk.storage import audit, items, printing, registry, unit, users, workflow
from secretdesk.storage.workflow import HandoverRow

_HANDOVER_KIND = {
    "dispatch": model.HandoverKind.DISPATCH,
    "issue": model.HandoverKind.INTERNAL_ISSUE,
    "return": model.HandoverKind.RETURN,
    "receive": model.HandoverKind.RECEIPT,
    "recall-return": model.HandoverKind.RECALL_RETURN,
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
    return date.fromisoformat(text[:10]).strftime("%d/%m/%Y")


def _urgency(value: str | None) -> str:
    return Urgency(value).label_vi if value else ""


class PrintService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- common --------------------------------------------------------------------------
    def unit_header(self) -> model.UnitHeader:
        record = unit.get(self.ctx.read())
        assert record is not None
        return model.UnitHeader(record.superior_body, record.name, record.code, record.place)

    def _stamp(self) -> model.PrintStamp:
        """The footer stamp; its head is the audit tree head (size, root): what `audit
        check-head` checks and an office holds (papers printed before carry the chain head)."""
        tree = audit.tree_head(self.ctx.read())
        actor = self.ctx.actor
        return model.PrintStamp(
            printed_at=self.ctx.clock.now().astimezone().replace(microsecond=0),
            printed_by=actor.full_name or actor.username,
            chain_head=model.ChainHead(tree.size, tree.root.hex()),
        )

    def _print(self, what: str, ref: str, render: Callable[[model.PrintStamp], bytes]) -> bytes:
        stamp = self._stamp()
        pdf = render(stamp)
        with self.ctx.change(Permission.READ) as change:
            change.audit(
                f"print.{what}",
                what,
                ref,
                sha256=hashlib.sha256(pdf).hexdigest(),
                printed_at=stamp.printed_at.isoformat(),
                head=stamp.chain_head.seq,
            )
        return pdf

    def _full_name(self, username: str | None) -> str:
        if not username:
            return ""
        actor = users.by_username(self.ctx.read(), username)
        return actor.full_name if actor and actor.full_name else username

    # -- receipt slip --------------------------------------------------------------------
    def slip(self, year: int, number: int) -> bytes:
        handover = HandoverService(self.ctx).find(year, number)
        data = self._slip_data(handover)
        return self._print("slip", handover.label, lambda stamp: render_slip(data, None, stamp))

    def _slip_data(self, handover: HandoverRow) -> model.SlipData:
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
        return model.SlipData(
            unit=self.unit_header(),
            number=handover.number,
            year=handover.year,
            handed_at=datetime.fromisoformat(handover.handed_at).astimezone(),
            kind=_HANDOVER_KIND[handover.kind],
            sender=handover.sender,
            recipient_body=handover.recipient_body,
            recipient_person=handover.recipient_person,
            lines=lines,
            envelope_marks=tuple(m for m in handover.envelope_marks.split("; ") if m),
            courier=handover.courier,
        )

    def handover_from_slip_code(self, code: str) -> HandoverRow:
        """The returned slip was scanned: find its handover and check the code was printed."""
        parsed = parse_slip_code(code)
        handover = HandoverService(self.ctx).find(parsed.year, parsed.number)
        for event in audit.events(self.ctx.read(), action_prefix="print.slip"):
            if event.entity_id != handover.label:
                continue
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
            raise NotFound(what=LazyText(N_("register book")), ref=f"{kind} {year}")
        book = (books[-1] if volume is None else books[0]) if books else None
        entries = self._register_entries(kind, book.id) if book else []
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
        )

    def _register_entries(self, kind: str, book_id: int) -> list[model.RegisterEntry]:
        builders: dict[str, Callable[[Any], list[model.RegisterEntry]]] = {
            "outgoing": self._item_entries,
            "incoming": self._item_entries,
            "copies": self._copy_entries,
            "handovers": self._handover_entries,
            "destruction": self._destruction_entries,
        }
        if kind not in builders:
            raise InvalidRequest(
                reason=LazyText(N_("The {kind} register cannot be printed yet."), kind=kind)
            )
        allowed = model.REGISTER_FIELDS[model.RegisterKind(kind)]
        return [
            model.RegisterEntry(
                {k: v for k, v in e.cells.items() if k in allowed}, e.level, e.cancelled
            )
            for e in builders[kind](book_id)
        ]

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
                "summary": "" if row["level"] == Level.TUYET_MAT.value else row["summary"] or "",
                "urgency": _urgency(row["urgency"]),
                "container_kind": Container(row["container"]).label_vi,
                "drafter": row["drafter"],
                "signer": row["classifier"],
                "recipients": row["recipients"],
                "copies": str(row["copies_issued"]),
                "copy_numbers": number_ranges(originals),
                "pages": "" if row["pages"] is None else str(row["pages"]),
                "storage": row["storage_location"],
                "handled_by": row["named_addressee"] or "",
                "unopened": "Chưa bóc bì"
                if row["named_addressee"] and not row["addressee_opened_at"]
                else "",
                "note": row["cancel_reason"] or "",
            }
            entries.append(model.RegisterEntry(cells, Level(row["level"]), bool(row["cancelled"])))
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
            entries.append(model.RegisterEntry(cells, Level(row["level"]), bool(row["cancelled"])))
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
                "handover_kind": _HANDOVER_KIND[row["kind"]].value,
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
            entries.append(
                model.RegisterEntry(
                    cells, Level.highest(levels) if levels else None, bool(row["cancelled"])
                )
            )
        return entries

    # -- labels --------------------------------------------------------------------------
    def envelope_labels(self, year: int, number: int) -> bytes:
        handover = HandoverService(self.ctx).find(year, number)
        conn = self.ctx.read()
        labels = []
        addressee = handover.recipient_body or handover.recipient_person
        for row in printing.handover_lines(conn, handover.id):
            labels.append(
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
                )
            )
        data = model.LabelData(unit=self.unit_header(), labels=tuple(labels))
        return self._print("labels", handover.label, lambda s: render_labels(data, None, s))

    def copy_labels(self, item_id: int) -> bytes:
        conn = self.ctx.read()
        item = load_item(conn, item_id)
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
        return self._print("labels", f"item {item_id}", lambda s: render_labels(data, None, s))

    # -- annual report -------------------------------------------------------------------
    def annual(self, year: int) -> bytes:
        data = self.annual_data(year)
        return self._print("annual", str(year), lambda s: render_annual_report(data, None, s))

    def annual_data(
        self, year: int, extra_findings: tuple[str, ...] = ()
    ) -> model.AnnualReportData:
        stats = StatisticsService(self.ctx).annual(year)
        record = unit.get(self.ctx.read())
        assert record is not None
        return model.AnnualReportData(
            unit=self.unit_header(),
            year=year,
            window_start=stats.window_start,
            window_end=stats.window_end,
            held_by_level=stats.held_by_level,
            events=stats.events,
            findings=(*extra_findings, *(f.render("vi") for f in stats.findings)),
            key_fingerprint=fingerprint(record.signing_public),
        )

    # -- destruction minutes -------------------------------------------------------------
    def minutes(self, case_id: int) -> bytes:
        minutes = DestructionService(self.ctx).minutes(case_id)
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
        )
        return self._print(
            "minutes", minutes.register_number, lambda s: render_minutes(data, None, s)
        )

    # -- inventory -----------------------------------------------------------------------
    def inventory(self, at: date, muster_id: int | None = None) -> bytes:
        data = self.inventory_data(at, muster_id)
        return self._print("inventory", at.isoformat(), lambda s: render_inventory(data, None, s))

    def inventory_data(self, at: date, muster_id: int | None = None) -> model.InventoryData:
        service = InventoryService(self.ctx)
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
        )
        return data

    # -- take-out permit -----------------------------------------------------------------
    def permit(self, permit_id: int) -> bytes:
        document = PermitService(self.ctx).document(permit_id)
        permit = document.permit
        if permit.kind != "take-out" or permit.approved_at is None:
            raise InvalidRequest(
                reason=LazyText(N_("Only an approved take-out permit can be printed."))
            )
        approved = datetime.fromisoformat(permit.approved_at).astimezone()
        data = model.TakeOutPermitData(
            unit=self.unit_header(),
            number=permit.id,
            year=approved.year,
            issued_on=approved.date(),
            requester=permit.requester,
            requester_position="",
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
                )
                for line in document.lines
            ),
            approver=permit.approved_by or "",
            approver_position="",
        )
        return self._print("permit", str(permit.id), lambda s: render_permit(data, None, s))
