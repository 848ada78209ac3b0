"""permit, destroy, level, incident, inventory, muster: the life of a copy after registration.

Approvals are countersigned: the approver's passphrase comes from
``--approver-passphrase-fd N``, else from the next line of ``--passphrase-fd``, else from
``SECRETDESK_APPROVER_PASSPHRASE``, else from the terminal.
"""

from __future__ import annotations

import argparse
from typing import Any

from secretdesk.app import App
from secretdesk.cli import parsing
from secretdesk.cli.commands_register import hidden_notice
from secretdesk.cli.context import CliContext
from secretdesk.cli.output import labelled
from secretdesk.domain import dates
from secretdesk.domain.custody import CopyState
from secretdesk.domain.levels import Level
from secretdesk.errors import UsageError
from secretdesk.i18n import N_, _, current_language, plural, translate
from secretdesk.services import destruction, incidents, permits
from secretdesk.services.destruction import CouncilSeat


# -- argument types ------------------------------------------------------------------------
def council_seat(text: str) -> CouncilSeat:
    """ "Name:role:position" (the position may be left out)."""
    parts = [p.strip() for p in text.split(":")]
    if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
        raise argparse.ArgumentTypeError(
            _('{value} is not a council member such as "Name:chair:Position".').format(value=text)
        )
    return CouncilSeat(parts[0], parts[1], parts[2] if len(parts) == 3 else "")


def _level(level: Level) -> str:
    return level.label(current_language())


def _level_slug(value: str) -> str:
    return _level(Level(value))


# -- registration --------------------------------------------------------------------------
def register(commands: Any) -> None:
    _register_permit(commands)
    _register_destroy(commands)
    _register_level(commands)
    _register_incident(commands)
    inventory = commands.add_parser(
        "inventory", help=_("every copy with its state and holder at a date")
    )
    inventory.add_argument("--at", type=parsing.iso_date, help=_("the date (default: today)"))
    inventory.add_argument("--active", action="store_true", help=_("only copies in active custody"))
    inventory.set_defaults(handler=run_inventory)
    muster = commands.add_parser(
        "muster", help=_("record a physical count and list the discrepancies")
    )
    muster.add_argument(
        "--found", type=parsing.id_list, required=True, help=_("the copies found, e.g. 1,2,3")
    )
    muster.add_argument(
        "--on", type=parsing.iso_date, help=_("the day of the count (default: today)")
    )
    muster.set_defaults(handler=run_muster)


def _register_permit(commands: Any) -> None:
    permit = commands.add_parser("permit", help=_("take-out permits and provision to another body"))
    sub = permit.add_subparsers(dest="permit_command", metavar="ACTION", required=True)
    request = sub.add_parser("request", help=_("record a written request"))
    request.add_argument("--kind", required=True, choices=permits.KINDS)
    request.add_argument(
        "--copies", type=parsing.id_list, required=True, help=_("copies, e.g. 1,2")
    )
    request.add_argument(
        "--requester",
        required=True,
        help=_("the person taking the copies, or the requesting body's representative"),
    )
    request.add_argument("--purpose", required=True, help=_("purpose of the request"))
    request.add_argument("--place", default="", help=_("where the copies will be taken"))
    request.add_argument(
        "--from", dest="starts_at", type=parsing.iso_datetime, help=_("out from (date, time)")
    )
    request.add_argument(
        "--until", dest="ends_at", type=parsing.iso_datetime, help=_("back by (date, time)")
    )
    request.add_argument("--protection", default="", help=_("protection measures"))
    request.add_argument("--requesting-body", default="", help=_("the body asking for the copies"))
    request.add_argument("--commitment", default="", help=_("the body's commitment to protect"))
    request.add_argument(
        "--requester-unit", default="", help=_("the requester's unit (default: this unit)")
    )
    request.add_argument("--requester-position", default="", help=_("the requester's post"))
    request.add_argument(
        "--abroad", action="store_true", help=_("the items are taken abroad (its own kind)")
    )
    request.add_argument(
        "--delegation-head", default="", help=_("the head of the delegation (abroad)")
    )
    request.add_argument(
        "--foreign",
        action="store_true",
        help=_("provision to a foreign body or person (Article 16, its own approvers)"),
    )
    request.add_argument(
        "--nationality", default="", help=_("the foreign representative's nationality")
    )
    request.add_argument(
        "--passport", default="", help=_("the foreign representative's passport number")
    )
    request.set_defaults(handler=run_permit_request)
    for name, handler, text in (
        ("approve", run_permit_approve, _("approve a request (countersigned)")),
        ("refuse", run_permit_refuse, _("refuse a request (countersigned)")),
    ):
        action = sub.add_parser(name, help=text)
        action.add_argument("id", type=int, help=_("permit number"))
        parsing.add_approver_options(action)
        action.set_defaults(handler=handler)
    close = sub.add_parser(
        "close", help=_("close a permit with its report (a take-out also brings the copies back)")
    )
    close.add_argument("id", type=int, help=_("permit number"))
    close.add_argument("--report", required=True, help=_("report on the use of the copies"))
    close.set_defaults(handler=run_permit_close)
    listing = sub.add_parser("list", help=_("list permits"))
    listing.add_argument("--status", choices=permits.STATUSES)
    listing.add_argument(
        "--overdue", action="store_true", help=_("only take-outs not back in time")
    )
    listing.set_defaults(handler=run_permit_list)


def _register_destroy(commands: Any) -> None:
    destroy = commands.add_parser("destroy", help=_("destruction of copies"))
    sub = destroy.add_subparsers(dest="destroy_command", metavar="ACTION", required=True)
    propose = sub.add_parser("propose", help=_("propose copies for destruction"))
    propose.add_argument(
        "--copies", type=parsing.id_list, required=True, help=_("copies, e.g. 1,2")
    )
    propose.add_argument("--grounds", required=True, help=_("grounds for destruction"))
    propose.add_argument(
        "--council",
        type=council_seat,
        action="append",
        required=True,
        help=_('a council member as "Name:role:Position"; role is chair, holder or member'),
    )
    propose.add_argument(
        "--council-decision",
        default="",
        help=_("the decision establishing the council (number, date, who signed)"),
    )
    propose.set_defaults(handler=run_destroy_propose)
    approve = sub.add_parser("approve", help=_("approve a destruction case (countersigned)"))
    approve.add_argument("case", help=_("case: register number N/YYYY or internal id"))
    parsing.add_approver_options(approve)
    approve.add_argument("--decision-ref", required=True, help=_("reference of the decision"))
    approve.set_defaults(handler=run_destroy_approve)
    refuse = sub.add_parser("refuse", help=_("refuse a destruction case (countersigned)"))
    refuse.add_argument("case", help=_("case: register number N/YYYY or internal id"))
    parsing.add_approver_options(refuse)
    refuse.set_defaults(handler=run_destroy_refuse)
    withdraw = sub.add_parser(
        "withdraw",
        help=_("withdraw a proposed or approved destruction case (countersigned)"),
    )
    withdraw.add_argument("case", help=_("case: register number N/YYYY or internal id"))
    withdraw.add_argument("--reason", required=True, help=_("why the case is withdrawn"))
    parsing.add_approver_options(withdraw)
    withdraw.set_defaults(handler=run_destroy_withdraw)
    record = sub.add_parser("record", help=_("record the destruction itself"))
    record.add_argument("case", help=_("case: register number N/YYYY or internal id"))
    record.add_argument("--method", required=True, help=_("method that makes recovery impossible"))
    record.add_argument("--place", required=True, help=_("where the copies were destroyed"))
    record.add_argument(
        "--at", type=parsing.iso_datetime, required=True, help=_("when (YYYY-MM-DDTHH:MM)")
    )
    record.set_defaults(handler=run_destroy_record)
    emergency = sub.add_parser("emergency", help=_("record an emergency destruction by the holder"))
    emergency.add_argument(
        "--copies", type=parsing.id_list, required=True, help=_("copies, e.g. 1,2")
    )
    emergency.add_argument("--report", required=True, help=_("the written report"))
    emergency.add_argument("--place", default="", help=_("where the copies were destroyed"))
    emergency.add_argument("--method", default="", help=_("how they were destroyed"))
    emergency.add_argument("--at", type=parsing.iso_datetime, help=_("when (default: now)"))
    emergency.set_defaults(handler=run_destroy_emergency)
    minutes = sub.add_parser("minutes", help=_("show the data of the destruction minutes"))
    minutes.add_argument("case", help=_("case: register number N/YYYY or internal id"))
    minutes.set_defaults(handler=run_destroy_minutes)
    listing = sub.add_parser("list", help=_("list destruction cases"))
    listing.add_argument("--status", choices=destruction.STATUSES)
    listing.set_defaults(handler=run_destroy_list)
    show = sub.add_parser("show", help=_("a destruction case with its copies"))
    show.add_argument("case", help=_("case: register number N/YYYY or internal id"))
    show.set_defaults(handler=run_destroy_show)


def _register_level(commands: Any) -> None:
    level = commands.add_parser("level", help=_("classification changes and expiry"))
    sub = level.add_subparsers(dest="level_command", metavar="ACTION", required=True)
    change = sub.add_parser("change", help=_("record a change of classification level"))
    change.add_argument("item", type=int, help=_("item number (internal id)"))
    change.add_argument("--to", required=True, help=_("the new level"))
    change.add_argument(
        "--decided-on", type=parsing.iso_date, required=True, help=_("date of the decision")
    )
    change.add_argument("--by", required=True, help=_("who decided (the classifier)"))
    change.add_argument("--reason", default="", help=_("reason for the change"))
    change.set_defaults(handler=run_level_change)
    extend = sub.add_parser("extend", help=_("extend the protection period"))
    extend.add_argument("item", type=int, help=_("item number (internal id)"))
    extend.add_argument("--years", type=int, required=True, help=_("number of years"))
    extend.add_argument(
        "--decided-on", type=parsing.iso_date, required=True, help=_("date of the decision")
    )
    extend.add_argument("--by", required=True, help=_("who decided"))
    extend.set_defaults(handler=run_level_extend)
    declassify = sub.add_parser("declassify", help=_("declassify an item"))
    declassify.add_argument("item", type=int, help=_("item number (internal id)"))
    declassify.add_argument("--kind", required=True, choices=("list-removal", "council"))
    declassify.add_argument("--partial", action="store_true", help=_("only part of the item"))
    declassify.add_argument("--scope", default="", help=_("which parts are declassified"))
    declassify.add_argument("--decided-on", type=parsing.iso_date, help=_("date of the decision"))
    declassify.add_argument("--by", default="", help=_("who decided"))
    parsing.add_approver_options(declassify, required=False)
    declassify.set_defaults(handler=run_level_declassify)
    expired = sub.add_parser(
        "declassify-expired", help=_("declassify every item whose protection has ended")
    )
    expired.set_defaults(handler=run_level_declassify_expired)
    expiring = sub.add_parser(
        "expiring", help=_("items expiring within 90 days and closing extension windows")
    )
    expiring.set_defaults(handler=run_level_expiring)


def _register_incident(commands: Any) -> None:
    incident = commands.add_parser("incident", help=_("loss, leak, tampering"))
    sub = incident.add_subparsers(dest="incident_command", metavar="ACTION", required=True)
    report = sub.add_parser("report", help=_("record an incident reported to the head"))
    report.add_argument("--kind", required=True, choices=incidents.KINDS)
    report.add_argument("--copy", type=int, help=_("the copy concerned"))
    report.add_argument("--description", required=True, help=_("what happened"))
    report.add_argument(
        "--reported-to", required=True, help=_("the head or deputy it was reported to")
    )
    report.add_argument("--reported-by", default="", help=_("who reported it (default: you)"))
    report.add_argument("--at", type=parsing.iso_moment, help=_("when it happened (default: now)"))
    report.set_defaults(handler=run_incident_report)
    recover = sub.add_parser("recover", help=_("a lost copy was found again"))
    recover.add_argument("copy", type=int, help=_("the copy found"))
    recover.add_argument("--note", default="", help=_("where and how it was found"))
    recover.set_defaults(handler=run_incident_recover)
    listing = sub.add_parser("list", help=_("list incidents"))
    listing.set_defaults(handler=run_incident_list)
    followup = sub.add_parser(
        "followup", help=_("the cause, handling and remedy of a leak or loss")
    )
    followup.add_argument("id", type=int, help=_("the incident"))
    followup.add_argument("--cause", default="", help=_("its cause"))
    followup.add_argument("--handling", default="", help=_("how it was handled"))
    followup.add_argument("--remedy", default="", help=_("how its consequences were remedied"))
    followup.set_defaults(handler=run_incident_followup)


def run_incident_followup(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.unlock().legal_records.follow_up(
        args.id, cause=args.cause, handling=args.handling, remedy=args.remedy
    )
    ctx.output.result({"incident": args.id}, _("Done."))
    return 0


# -- permit --------------------------------------------------------------------------------
def run_permit_request(args: argparse.Namespace, ctx: CliContext) -> int:
    permit = ctx.unlock().permits.request(
        args.kind,
        args.copies,
        requester=args.requester,
        purpose=args.purpose,
        place=args.place,
        starts_at=args.starts_at,
        ends_at=args.ends_at,
        protection=args.protection,
        requesting_body=args.requesting_body,
        commitment=args.commitment,
        requester_unit=args.requester_unit,
        requester_position=args.requester_position,
        abroad=args.abroad,
        delegation_head=args.delegation_head,
        foreign=args.foreign,
        nationality=args.nationality,
        passport=args.passport,
    )
    text = _("Permit #{id} recorded; it waits for approval.").format(id=permit.id)
    ctx.output.result(permit.to_json(), text)
    return 0


def run_permit_approve(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    permit = opened.permits.approve(args.id, parsing.countersign(args, ctx, opened))
    text = _("Permit #{id} approved by {approver}.").format(id=permit.id, approver=args.approver)
    ctx.output.result(permit.to_json(), text)
    return 0


def run_permit_refuse(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    permit = opened.permits.refuse(args.id, parsing.countersign(args, ctx, opened))
    text = _("Permit #{id} refused by {approver}.").format(id=permit.id, approver=args.approver)
    ctx.output.result(permit.to_json(), text)
    return 0


def run_permit_close(args: argparse.Namespace, ctx: CliContext) -> int:
    permit = ctx.unlock().permits.close(args.id, args.report)
    if permit.kind == "take-out":
        text = _("Permit #{id} closed; the copies are back in storage.").format(id=permit.id)
    else:
        text = _("Permit #{id} closed with its report.").format(id=permit.id)
    ctx.output.result(permit.to_json(), text)
    return 0


def numbers(values: list[int]) -> str:
    """Copy ids as the text table shows them: ``3,4,5``."""
    return ",".join(str(v) for v in values)


def run_permit_list(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    found = opened.permits.overdue() if args.overdue else opened.permits.list(status=args.status)
    hidden = opened.permits.hidden_count(status=args.status, overdue=args.overdue)
    ctx.output.table(
        [p.to_json() for p in found],
        [
            ("id", "#"),
            ("kind", _("Kind")),
            ("status", _("Status")),
            ("requester", _("Requester")),
            ("copy_ids", _("Copies")),
            ("ends_at", _("Back by")),
        ],
        {
            "kind": labelled(permits.KIND_LABELS),
            "status": labelled(permits.STATUS_LABELS),
            "copy_ids": numbers,
            "ends_at": dates.day,
        },
    )
    if hidden and not ctx.output.as_json:
        ctx.output.result(None, hidden_notice(hidden))
    return 0


# -- destroy -------------------------------------------------------------------------------
def case_id(opened: App, ref: str) -> int:
    """A case by its register number "N/YYYY", or by its internal id."""
    number, slash, year = ref.partition("/")
    try:
        if slash:
            return opened.destruction.find(int(year), int(number)).id
        return int(ref)
    except ValueError:
        raise UsageError(
            detail=_("{value} is not a case number such as 3/2026.").format(value=ref)
        ) from None


def _case_text(message: str, case: Any) -> str:
    return message.format(number=case.label, status=destruction.status_label(case.status))


def run_destroy_propose(args: argparse.Namespace, ctx: CliContext) -> int:
    case = ctx.unlock().destruction.propose(
        args.copies, args.grounds, args.council, args.council_decision
    )
    ctx.output.result(case.to_json(), _case_text(_("Destruction case {number} proposed."), case))
    return 0


def run_destroy_approve(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    ref = case_id(opened, args.case)
    case = opened.destruction.approve(
        ref, parsing.countersign(args, ctx, opened), args.decision_ref
    )
    ctx.output.result(case.to_json(), _case_text(_("Destruction case {number} approved."), case))
    return 0


def run_destroy_refuse(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    ref = case_id(opened, args.case)
    case = opened.destruction.refuse(ref, parsing.countersign(args, ctx, opened))
    ctx.output.result(case.to_json(), _case_text(_("Destruction case {number} refused."), case))
    return 0


def run_destroy_withdraw(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    ref = case_id(opened, args.case)
    case = opened.destruction.withdraw(ref, args.reason, parsing.countersign(args, ctx, opened))
    text = _case_text(
        _("Destruction case {number} withdrawn; its copies are no longer held for destruction."),
        case,
    )
    ctx.output.result(case.to_json(), text)
    return 0


def run_destroy_record(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    case = opened.destruction.record(
        case_id(opened, args.case), at=args.at, place=args.place, method=args.method
    )
    ctx.output.result(
        case.to_json(), _case_text(_("Destruction case {number}: the copies are destroyed."), case)
    )
    return 0


def run_destroy_emergency(args: argparse.Namespace, ctx: CliContext) -> int:
    case = ctx.unlock().destruction.emergency(
        args.copies, args.report, at=args.at, place=args.place, method=args.method
    )
    text = _case_text(
        _("Emergency destruction recorded as case {number}; report it to the head at once."),
        case,
    )
    ctx.output.result(case.to_json(), text)
    return 0


def run_destroy_minutes(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    minutes = opened.destruction.minutes(case_id(opened, args.case))
    data = minutes.to_json()
    if ctx.output.as_json:
        ctx.output.result(data)
        return 0
    lines = [
        _("Destruction case {number}").format(number=minutes.register_number),
        _("Decision: {ref}").format(ref=minutes.decision_ref),
        _("Time and place: {at}, {place}").format(
            at=minutes.destroyed_at.strftime("%H:%M %d/%m/%Y"), place=minutes.place
        ),
        _("Method: {method}").format(method=minutes.method),
        _("Council:"),
        *(
            f"  {s.name} ({destruction.role_label(s.role)}) {s.position}".rstrip()
            for s in minutes.council
        ),
        _("Copies:"),
        *(f"  {c.copy_label} - {c.number_symbol} ({_level(c.level)})" for c in minutes.copies),
    ]
    ctx.output.result(data, "\n".join(lines))
    return 0


def run_destroy_show(args: argparse.Namespace, ctx: CliContext) -> int:
    """A case above the reader's clearance is refused (audited) by the service."""
    opened = ctx.unlock()
    case = opened.destruction.show(case_id(opened, args.case))
    copies = opened.destruction.copies(case.id)
    data = {**case.to_json(), "copies": [c.to_json() for c in copies]}
    lines = [
        _case_text(_("Destruction case {number}: {status}"), case),
        _("Grounds: {grounds}").format(grounds=case.grounds),
        _("Copies:"),
        *(f"  {c.copy_label} - {c.number_symbol} ({_level(c.level)})" for c in copies),
    ]
    ctx.output.result(data, "\n".join(lines))
    return 0


def run_destroy_list(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    cases = opened.destruction.list(status=args.status)
    hidden = opened.destruction.hidden_count(status=args.status)
    ctx.output.table(
        [{**c.to_json(), "label": c.label} for c in cases],
        [
            ("label", _("Number")),
            ("id", "#"),
            ("status", _("Status")),
            ("emergency", _("Emergency")),
            ("copy_ids", _("Copies")),
            ("grounds", _("Grounds")),
        ],
        {"status": labelled(destruction.STATUS_LABELS), "copy_ids": numbers},
    )
    if hidden and not ctx.output.as_json:
        ctx.output.result(None, hidden_notice(hidden))
    return 0


# -- level ---------------------------------------------------------------------------------
def run_level_change(args: argparse.Namespace, ctx: CliContext) -> int:
    row = ctx.unlock().classification.change_level(
        args.item,
        Level.parse(args.to),
        decided_on=args.decided_on,
        decided_by=args.by,
        reason=args.reason,
    )
    text = _("Item #{item} is now {level}; notify the holders by {date}.").format(
        item=row.item_id, level=_level(row.new_level), date=dates.day(row.notify_by)
    )
    ctx.output.result(row.to_json(), text)
    return 0


def run_level_extend(args: argparse.Namespace, ctx: CliContext) -> int:
    row = ctx.unlock().classification.extend(
        args.item, args.years, decided_on=args.decided_on, decided_by=args.by
    )
    text = _("Item #{item} protected until {expiry}; notify the recipients by {date}.").format(
        item=row.item_id, expiry=dates.day(row.new_expiry), date=dates.day(row.notify_by)
    )
    ctx.output.result(row.to_json(), text)
    return 0


def run_level_declassify(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    approver = parsing.countersign(args, ctx, opened) if args.approver else None
    result = opened.classification.declassify(
        args.item,
        args.kind.replace("-", "_"),
        decided_on=args.decided_on,
        decided_by=args.by,
        partial=args.partial,
        scope=args.scope,
        approver=approver,
    )
    if result.record.partial:
        text = _("Item #{item} partly declassified: {scope}.").format(
            item=result.record.item_id, scope=result.record.scope
        )
    else:
        text = translate(
            plural(
                len(result.copies),
                N_("Item #{item} declassified; {count} copy marked declassified."),
                N_("Item #{item} declassified; {count} copies marked declassified."),
            )
        ).format(item=result.record.item_id, count=len(result.copies))
    ctx.output.result(result.to_json(), text)
    return 0


def run_level_declassify_expired(args: argparse.Namespace, ctx: CliContext) -> int:
    done = ctx.unlock().classification.declassify_expired()
    rows = [
        {
            "item": d.record.item_id,
            "number_symbol": d.number_symbol,
            "expired_on": d.record.decided_on,
            "copies": ",".join(str(c) for c in d.copies),
        }
        for d in done
    ]
    if ctx.output.as_json:
        ctx.output.result(rows)
        return 0
    ctx.output.result(
        rows,
        translate(
            plural(
                len(rows),
                N_("{count} item declassified at the end of its protection."),
                N_("{count} items declassified at the end of their protection."),
            )
        ).format(count=len(rows)),
    )
    if rows:
        ctx.output.table(
            rows,
            [
                ("item", "#"),
                ("number_symbol", _("Number and symbol")),
                ("expired_on", _("Expired on")),
                ("copies", _("Copies")),
            ],
            {"expired_on": dates.day},
        )
    return 0


def run_level_expiring(args: argparse.Namespace, ctx: CliContext) -> int:
    warnings = ctx.unlock().classification.expiring()
    rows = [
        {
            "item": w.item_id,
            "register_number": w.register_number,
            "number_symbol": w.number_symbol,
            "level": w.level.value,
            "expiry": w.expiry.isoformat(),
            "days_left": w.days_left,
            "expired": w.expired,
            "extension_deadline": w.extension_deadline.isoformat(),
            "extension_window_closing": w.extension_window_closing,
            "warning": (
                _("expired")
                if w.expired
                else _("extend by {date}").format(date=dates.day(w.extension_deadline))
                if w.extension_window_closing
                else _("expiring")
            ),
        }
        for w in warnings
    ]
    ctx.output.table(
        rows,
        [
            ("item", "#"),
            ("register_number", _("Entry")),
            ("number_symbol", _("Number and symbol")),
            ("level", _("Level")),
            ("expiry", _("Expiry")),
            ("days_left", _("Days left")),
            ("warning", _("Warning")),
        ],
        {"level": _level_slug, "expiry": dates.day},
    )
    return 0


# -- incident ------------------------------------------------------------------------------
def run_incident_report(args: argparse.Namespace, ctx: CliContext) -> int:
    row = ctx.unlock().incidents.report(
        args.kind,
        args.description,
        reported_to=args.reported_to,
        copy_id=args.copy,
        occurred_at=args.at,
        reported_by=args.reported_by,
    )
    text = _("Incident #{id} recorded ({kind}).").format(
        id=row.id, kind=incidents.kind_label(row.kind)
    )
    ctx.output.result(row.to_json(), text)
    return 0


def run_incident_recover(args: argparse.Namespace, ctx: CliContext) -> int:
    copy = ctx.unlock().incidents.recover(args.copy, args.note)
    text = _("{copy} is back in storage with {holder}.").format(copy=copy.label, holder=copy.holder)
    ctx.output.result(copy.to_json(), text)
    return 0


def run_incident_list(args: argparse.Namespace, ctx: CliContext) -> int:
    ctx.output.table(
        [i.to_json() for i in ctx.unlock().incidents.list()],
        [
            ("id", "#"),
            ("kind", _("Kind")),
            ("copy_id", _("Copy")),
            ("occurred_at", _("When")),
            ("reported_to", _("Reported to")),
            ("description", _("Description")),
        ],
        {"kind": labelled(incidents.KIND_LABELS), "occurred_at": dates.local_minute},
    )
    return 0


# -- inventory and muster ------------------------------------------------------------------
def run_inventory(args: argparse.Namespace, ctx: CliContext) -> int:
    found = ctx.unlock().inventory.inventory(args.at, active_only=args.active)
    language = current_language()
    rows = [
        {
            "copy_id": ln.copy_id,
            "register_number": ln.register_number,
            "number_symbol": ln.number_symbol,
            "level": ln.level.value,
            "copy": ln.copy_number,
            "state": ln.state.value,
            "holder": ln.holder,
        }
        for ln in found.lines
    ]
    ctx.output.table(
        rows,
        [
            ("copy_id", "#"),
            ("register_number", _("Entry")),
            ("number_symbol", _("Number and symbol")),
            ("level", _("Level")),
            ("copy", _("Copy")),
            ("state", _("State")),
            ("holder", _("Holder")),
        ],
        {"level": _level_slug, "state": lambda v: CopyState(v).label(language)},
    )
    if found.hidden and not ctx.output.as_json:
        ctx.output.result(None, hidden_notice(found.hidden))
    return 0


def run_muster(args: argparse.Namespace, ctx: CliContext) -> int:
    result = ctx.unlock().inventory.muster(args.found, args.on)
    if ctx.output.as_json:
        ctx.output.result(
            {
                "muster_id": result.muster_id,
                "held_on": result.held_on.isoformat(),
                "expected": result.expected,
                "found": list(result.found),
                "missing": [d.copy_id for d in result.missing],
                "unexpected": [d.copy_id for d in result.unexpected],
                "discrepancies": [d.to_json() for d in result.discrepancies],
            }
        )
        return 0
    summary = translate(
        plural(
            result.expected,
            N_(
                "Muster #{id}: {expected} copy expected, {found} found, {missing} missing,"
                " {unexpected} found that the register says are not here."
            ),
            N_(
                "Muster #{id}: {expected} copies expected, {found} found, {missing} missing,"
                " {unexpected} found that the register says are not here."
            ),
        )
    ).format(
        id=result.muster_id,
        expected=result.expected,
        found=len(result.found),
        missing=len(result.missing),
        unexpected=len(result.unexpected),
    )
    ctx.output.result(None, summary)
    if result.discrepancies:
        language = current_language()
        rows = [
            {
                "copy_id": d.copy_id,
                "copy": d.copy,
                "kind": _("missing") if d.kind == "missing" else _("not expected here"),
                "recorded_state": d.recorded_state.label(language),
                "recorded_holder": d.recorded_holder,
            }
            for d in result.discrepancies
        ]
        ctx.output.table(
            rows,
            [
                ("copy_id", "#"),
                ("copy", _("Copy")),
                ("kind", _("Discrepancy")),
                ("recorded_state", _("Register says")),
                ("recorded_holder", _("Holder")),
            ],
        )
    return 0
