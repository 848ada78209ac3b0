"""Reconciling at the office: handovers between pinned units that only one side recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from secretdesk.domain.text import fold
from secretdesk.i18n import N_, LazyText, translate
from secretdesk.services.context import ServiceContext
from secretdesk.services.office.consolidation import _year
from secretdesk.services.report_v1 import stored_report
from secretdesk.storage import office

NOT_RECEIVED, NOT_DISPATCHED = "not_received", "not_dispatched"


@dataclass(frozen=True)
class Discrepancy:
    """A handover between two units that only one of them recorded."""

    kind: str  # NOT_RECEIVED: A dispatched, B never registered it; NOT_DISPATCHED: the reverse
    from_unit: str
    to_unit: str
    number_symbol: str
    reference: str  # A's handover number, or B's incoming register number
    on: str  # the date of that handover or registration
    counterpart_reported: bool  # the other unit sent a report that could have listed it

    def describe(self, language: str | None = None) -> str:
        if self.kind == NOT_RECEIVED:
            text = LazyText(
                N_(
                    "{sender} dispatched {item} to {receiver} (handover {reference}, {on}); "
                    "{receiver} never reported it as received."
                ),
                sender=self.from_unit,
                item=self.number_symbol,
                receiver=self.to_unit,
                reference=self.reference,
                on=self.on,
            )
        else:
            text = LazyText(
                N_(
                    "{receiver} registered {item} from {sender} (incoming {reference}, {on}); "
                    "{sender} never reported dispatching it."
                ),
                sender=self.from_unit,
                item=self.number_symbol,
                receiver=self.to_unit,
                reference=self.reference,
                on=self.on,
            )
        rendered = text.render(language)
        if not self.counterpart_reported:
            rendered += " " + translate(N_("(No report for this period from that unit.)"), language)
        return rendered

    def to_json(self, language: str | None = None) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "from_unit": self.from_unit,
            "to_unit": self.to_unit,
            "number_symbol": self.number_symbol,
            "reference": self.reference,
            "date": self.on,
            "counterpart_reported": self.counterpart_reported,
            "text": self.describe(language),
        }


class Reconciliation:
    """Cross-unit handovers recorded by one side only."""

    ctx: ServiceContext

    def reconcile(self, period: str) -> list[Discrepancy]:
        """Handovers between pinned units in the period that only one side recorded."""
        _year(period)
        conn = self.ctx.read()
        units = office.trusted_units(conn)
        names: dict[str, str] = {}
        for trusted in units:
            names[fold(trusted.code)] = trusted.code
            names[fold(trusted.name)] = trusted.code
        received_ever: dict[str, set[str]] = {}
        dispatched_ever: dict[str, set[str]] = {}
        dispatched_now: dict[str, dict[str, dict[str, Any]]] = {}
        received_now: dict[str, dict[str, dict[str, Any]]] = {}
        reported_now: set[str] = set()
        for package in office.received_packages(conn):
            report = stored_report(package.report_json)
            if "dispatched" not in report:
                continue
            code = package.unit_code
            current = package.period == period
            if current:
                reported_now.add(code)
            for row in report["dispatched"]:
                dispatched_ever.setdefault(code, set()).update(map(fold, row["number_symbols"]))
                if current:
                    dispatched_now.setdefault(code, {})[row["number"]] = row
            for row in report["received"]:
                received_ever.setdefault(code, set()).add(fold(row["number_symbol"]))
                if current:
                    received_now.setdefault(code, {})[row["register_number"]] = row
        found: list[Discrepancy] = []
        for sender, rows in sorted(dispatched_now.items()):
            for row in rows.values():
                receiver = names.get(fold(row["to_body"]))
                if receiver is None or receiver == sender:
                    continue
                for symbol in row["number_symbols"]:
                    if fold(symbol) not in received_ever.get(receiver, set()):
                        found.append(
                            Discrepancy(
                                NOT_RECEIVED,
                                sender,
                                receiver,
                                symbol,
                                row["number"],
                                row["date"],
                                receiver in reported_now,
                            )
                        )
        for recipient, registered in sorted(received_now.items()):
            for row in registered.values():
                issuer = names.get(fold(row["issuer"]))
                if issuer is None or issuer == recipient:
                    continue
                if fold(row["number_symbol"]) not in dispatched_ever.get(issuer, set()):
                    found.append(
                        Discrepancy(
                            NOT_DISPATCHED,
                            issuer,
                            recipient,
                            row["number_symbol"],
                            row["register_number"],
                            row.get("registered_on", row["doc_date"]),
                            issuer in reported_now,
                        )
                    )
        return found
