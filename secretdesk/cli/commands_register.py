"""Users, register books, items, copies and handovers."""

from __future__ import annotations

import argparse
from typing import Any

from secretdesk.cli import parsing
from secretdesk.cli.commands_attach import add_scan_command
from secretdesk.cli.commands_import import add_import_command
from secretdesk.cli.context import CliContext
from secretdesk.cli.output import labelled, level_label
from secretdesk.domain import dates
from secretdesk.domain.items import Container, Direction, Registration, Urgency
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Role
from secretdesk.i18n import N_, _, current_language, plural, translate
from secretdesk.services import copies as copy_service
from secretdesk.services import handovers as handover_service
from secretdesk.services.copies import FORMS
from secretdesk.services.handovers import KINDS
from secretdesk.services.registry import BOOK_KIND_LABELS, BOOK_KINDS, book_label, entry_label


def register(commands: Any) -> None:
    _users(commands)
    _books(commands)
    _items(commands)
    _copies(commands)
    _handovers(commands)


# -- users -------------------------------------------------------------------------------
def _users(commands: Any) -> None:
    user = commands.add_parser("user", help=_("user accounts"))
    sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = sub.add_parser("add", help=_("add a user (passphrase: SECRETDESK_NEW_PASSPHRASE)"))
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--max-level", type=parsing.level, help=_("highest level they may approve"))
    add.add_argument("--full-name", default="")
    add.add_argument(
        "--clearance",
        type=parsing.level,
        default=Level.TUYET_MAT,
        help=_("highest level they may see (default: tuyet-mat)"),
    )
    parsing.add_approver_options(add, required=False)
    add.set_defaults(handler=run_user_add)
    sub.add_parser("list", help=_("list users")).set_defaults(handler=run_user_list)
    disable = sub.add_parser(
        "disable", help=_("disable a user, remove their key slot and re-key the vault")
    )
    disable.add_argument("username")
    disable.set_defaults(handler=run_user_disable)
    enable = sub.add_parser("enable", help=_("enable a disabled user again"))
    enable.add_argument("username")
    parsing.add_approver_options(enable, required=False)
    enable.set_defaults(handler=run_user_enable)
    clearance = sub.add_parser(
        "clearance", help=_("set the highest level a user may see (countersigned)")
    )
    clearance.add_argument("username")
    clearance.add_argument("level", type=parsing.level)
    parsing.add_approver_options(clearance)
    clearance.set_defaults(handler=run_user_clearance)
    reset = sub.add_parser(
        "reset-passphrase", help=_("give another user a new passphrase (countersigned)")
    )
    reset.add_argument("username")
    parsing.add_approver_options(reset)
    reset.set_defaults(handler=run_user_reset_passphrase)


def run_user_add(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    passphrase = ctx.secrets.ask(
        _("New passphrase for {user}: ").format(user=args.username),
        env_var="SECRETDESK_NEW_PASSPHRASE",
        confirm=True,
    )
    approver = parsing.countersign(args, ctx, opened) if args.approver else None
    actor = opened.users.add(
        args.username,
        Role(args.role),
        passphrase,
        full_name=args.full_name,
        max_level=args.max_level,
        clearance=args.clearance,
        approver=approver,
    )
    ctx.output.result(actor.to_json(), _("User {user} added.").format(user=actor.username))
    return 0


def run_user_list(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = [a.to_json() for a in ctx.unlock().users.list()]
    ctx.output.table(
        rows,
        [
            ("username", _("User")),
            ("full_name", _("Full name")),
            ("role", _("Role")),
            ("max_level", _("Approves up to")),
            ("clearance", _("Sees up to")),
            ("disabled", _("Disabled")),
        ],
        {"role": lambda v: Role(v).label(), "max_level": level_label, "clearance": level_label},
    )
    return 0


def run_user_disable(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    actor = opened.users.set_disabled(args.username)
    ctx.warn_set_aside(opened)
    code = opened.users.last_recovery_code
    if code is None:
        ctx.output.result(
            {**actor.to_json(), "recovery_code": None},
            " ".join(
                [
                    _("User {user} disabled.").format(user=actor.username),
                    _(
                        "The vault is re-keyed once {users} have unlocked it one time: "
                        "then run rekey."
                    ).format(users=", ".join(opened.users.rekey_waiting_for())),
                ]
            ),
        )
        return 0
    ctx.output.result(
        {**actor.to_json(), "recovery_code": code},
        "\n".join(
            [
                _("User {user} disabled.").format(user=actor.username),
                _(
                    "The vault was re-keyed: key slots kept in older backups no longer open "
                    "it. The old recovery code no longer works."
                ),
                "",
                _("RECOVERY CODE (shown only once; print it and keep it in the safe):"),
                f"    {code}",
            ]
        ),
    )
    return 0


def run_user_enable(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    approver = parsing.countersign(args, ctx, opened) if args.approver else None
    actor = opened.users.set_disabled(args.username, False, approver=approver)
    ctx.output.result(
        actor.to_json(),
        _("User {user} enabled; they need a new passphrase (user reset-passphrase).").format(
            user=actor.username
        ),
    )
    return 0


def run_user_reset_passphrase(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    approver = parsing.countersign(args, ctx, opened)
    passphrase = ctx.secrets.ask(
        _("New passphrase for {user}: ").format(user=args.username),
        env_var="SECRETDESK_NEW_PASSPHRASE",
        confirm=True,
    )
    code = opened.users.reset_passphrase(args.username, passphrase, approver)
    ctx.warn_set_aside(opened)
    done = _("New passphrase set for {user}.").format(user=args.username)
    if code is None:
        waiting = ", ".join(opened.users.rekey_waiting_for())
        text = " ".join(
            [
                done,
                _(
                    "The vault is re-keyed once {users} have unlocked it one time: then run rekey."
                ).format(users=waiting),
            ]
        )
    else:
        text = "\n".join(
            [
                done,
                _(
                    "The vault was re-keyed: key slots kept in older backups no longer open "
                    "it. The old recovery code no longer works."
                ),
                "",
                _("RECOVERY CODE (shown only once; print it and keep it in the safe):"),
                f"    {code}",
            ]
        )
    ctx.output.result({"user": args.username, "reset": True, "recovery_code": code}, text)
    return 0


def run_user_clearance(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    approver = parsing.countersign(args, ctx, opened)
    actor = opened.users.set_clearance(args.username, args.level, approver)
    ctx.output.result(
        actor.to_json(),
        _("{user} may now see records up to {level}.").format(
            user=actor.username, level=level_label(actor.clearance.value)
        ),
    )
    return 0


# -- books and entries -------------------------------------------------------------------
def _books(commands: Any) -> None:
    book = commands.add_parser("book", help=_("register books"))
    sub = book.add_subparsers(dest="book_command", metavar="ACTION", required=True)
    sub.add_parser("list", help=_("list register books")).set_defaults(handler=run_book_list)
    lock = sub.add_parser("lock", help=_("lock the current volume of a register"))
    lock.add_argument("kind", choices=BOOK_KINDS)
    lock.add_argument("--year", type=int, required=True)
    lock.add_argument(
        "--next-volume", action="store_true", help=_("open the next volume; numbering continues")
    )
    lock.set_defaults(handler=run_book_lock)
    entry = commands.add_parser("entry", help=_("register entries"))
    esub = entry.add_subparsers(dest="entry_command", metavar="ACTION", required=True)
    cancel = esub.add_parser("cancel", help=_("cancel an entry; it keeps its number"))
    cancel.add_argument("kind", choices=BOOK_KINDS)
    cancel.add_argument("number", type=int)
    cancel.add_argument("--year", type=int, required=True)
    cancel.add_argument("--reason", required=True)
    cancel.set_defaults(handler=run_entry_cancel)


def run_book_list(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = [b.to_json() for b in ctx.unlock().registry.books()]
    ctx.output.table(
        rows,
        [
            ("kind", _("Register")),
            ("year", _("Year")),
            ("volume", _("Volume")),
            ("legal_basis", _("Legal basis")),
            ("opened_on", _("Opened")),
            ("locked", _("Locked")),
        ],
        {"kind": labelled(BOOK_KIND_LABELS), "opened_on": dates.day},
    )
    return 0


def run_book_lock(args: argparse.Namespace, ctx: CliContext) -> int:
    book = ctx.unlock().registry.lock(args.kind, args.year, open_next_volume=args.next_volume)
    ctx.output.result(book.to_json(), _("Done."))
    return 0


def run_entry_cancel(args: argparse.Namespace, ctx: CliContext) -> int:
    entry = ctx.unlock().registry.cancel(args.kind, args.year, args.number, args.reason)
    ctx.output.result(
        entry.to_json(),
        _("Entry {number}/{year} cancelled.").format(number=entry.number, year=entry.year),
    )
    return 0


# -- items -------------------------------------------------------------------------------
def _items(commands: Any) -> None:
    item = commands.add_parser("item", help=_("items in the registers"))
    sub = item.add_subparsers(dest="item_command", metavar="ACTION", required=True)
    reg = sub.add_parser("register", help=_("register an item and its numbered copies"))
    reg.add_argument("--book", required=True, choices=[d.value for d in Direction])
    add_registration_options(reg)
    reg.set_defaults(handler=run_item_register)
    listing = sub.add_parser("list", help=_("list and search items"))
    listing.add_argument("--search", default="", help=_("words, with or without diacritics"))
    listing.add_argument("--book", choices=[d.value for d in Direction])
    listing.add_argument("--year", type=int)
    listing.add_argument("--level", type=parsing.level)
    listing.add_argument("--limit", type=parsing.positive_int, default=200)
    listing.set_defaults(handler=run_item_list)
    show = sub.add_parser("show", help=_("an item with its copies"))
    show.add_argument("item", type=int)
    show.set_defaults(handler=run_item_show)
    opened = sub.add_parser("open", help=_("the named addressee confirms opening the envelope"))
    opened.add_argument("item", type=int)
    opened.add_argument("--by", required=True)
    opened.set_defaults(handler=run_item_open)
    add_import_command(sub)


def add_registration_options(reg: Any) -> None:
    """What an item's register line needs; shared by ``item register`` and ``draft finalise``."""
    reg.add_argument("--level", required=True, type=parsing.level)
    reg.add_argument("--number-symbol", required=True)
    reg.add_argument("--date", required=True, type=parsing.iso_date)
    reg.add_argument("--doc-type", default="")
    reg.add_argument("--issuer", default="")
    reg.add_argument("--summary", default="")
    reg.add_argument(
        "--summary-consent",
        action="store_true",
        help=_("the classifier consented to recording a Tuyệt mật summary"),
    )
    reg.add_argument(
        "--summary-consent-by",
        default="",
        help=_("who consented to the Tuyệt mật summary (default: the classifier)"),
    )
    reg.add_argument(
        "--summary-consent-on",
        type=parsing.iso_date,
        help=_("when they consented (default: today)"),
    )
    reg.add_argument(
        "--list-decision",
        default="",
        help=_("the decision issuing the list of state secrets the item falls under"),
    )
    reg.add_argument("--list-entry", default="", help=_("the entry of that list"))
    reg.add_argument(
        "--file-copy-holder",
        default="",
        help=_("the unit or person holding the file copy"),
    )
    reg.add_argument("--copies", type=int, required=True)
    reg.add_argument("--no-copying", action="store_true")
    reg.add_argument("--recall-by", type=parsing.iso_date)
    reg.add_argument("--named-addressee", default="")
    reg.add_argument("--urgency", choices=[u.value for u in Urgency])
    reg.add_argument("--pages", type=int)
    reg.add_argument("--container", choices=[c.value for c in Container], default="paper")
    reg.add_argument("--classifier", default="")
    reg.add_argument("--classified-on", type=parsing.iso_date)
    reg.add_argument("--recipients", default="")
    reg.add_argument("--drafter", default="")
    reg.add_argument("--storage", default="")


def registration_from(args: argparse.Namespace, direction: Direction) -> Registration:
    return Registration(
        direction=direction,
        level=args.level,
        number_symbol=args.number_symbol,
        doc_date=args.date,
        copies=args.copies,
        doc_type=args.doc_type,
        issuer=args.issuer,
        summary=args.summary,
        summary_consent=args.summary_consent,
        summary_consent_by=args.summary_consent_by,
        summary_consent_on=args.summary_consent_on,
        list_decision=args.list_decision,
        list_entry=args.list_entry,
        file_copy_holder=args.file_copy_holder,
        container=Container(args.container),
        urgency=Urgency(args.urgency) if args.urgency else None,
        pages=args.pages,
        classifier=args.classifier,
        classified_on=args.classified_on,
        copying_allowed=not args.no_copying,
        recall_by=args.recall_by,
        named_addressee=args.named_addressee,
        recipients=args.recipients,
        drafter=args.drafter,
        storage_location=args.storage,
    )


def run_item_register(args: argparse.Namespace, ctx: CliContext) -> int:
    registration = registration_from(args, Direction(args.book))
    item = ctx.unlock().items.register(registration)
    ctx.output.result(
        item.to_json(),
        _("Registered as {kind} {number}/{year} (item #{id}).").format(
            kind=book_label(item.book_kind),
            number=item.number,
            year=item.year,
            id=item.id,
        ),
    )
    return 0


def run_item_list(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    found = opened.items.search(
        args.search, kind=args.book, year=args.year, level=args.level, limit=args.limit
    )
    hidden = opened.items.hidden_count(
        args.search, kind=args.book, year=args.year, level=args.level
    )
    ctx.output.table(
        [i.to_json() for i in found],
        [
            ("id", "#"),
            ("register", _("Register")),
            ("number_symbol", _("Number, symbol")),
            ("level", _("Level")),
            ("doc_type", _("Type")),
            ("summary", _("Summary")),
        ],
        {"register": register_text, "level": level_label},
    )
    if len(found) >= args.limit and not ctx.output.as_json:
        ctx.output.result(
            None,
            _(
                "Only the first {limit} items are shown; more exist. Use --limit or --search."
            ).format(limit=args.limit),
        )
    if hidden and not ctx.output.as_json:
        ctx.output.result(None, hidden_notice(hidden))
    return 0


def hidden_notice(count: int) -> str:
    return _("Records above your clearance left out: {count}.").format(count=count)


def register_text(register: str) -> str:
    """``outgoing 12/2026`` as a clerk reads it: ``Sổ đi số 12/2026``."""
    kind, _space, number_year = register.partition(" ")
    number, _slash, year = number_year.partition("/")
    try:
        return entry_label(kind, int(number), int(year)).render()
    except ValueError:
        return register


def run_item_show(args: argparse.Namespace, ctx: CliContext) -> int:
    details = ctx.unlock().items.show(args.item)
    data = {
        **details.item.to_json(),
        "expiry": details.expiry.expiry.isoformat(),
        "expiring_soon": details.expiry.expiring_soon,
        "summary_consent_by": details.legal.summary_consent_by,
        "summary_consent_on": details.legal.summary_consent_on,
        "list_decision": details.legal.list_decision,
        "list_entry": details.legal.list_entry,
        "file_copy_holder": details.legal.file_copy_holder,
        "copies": [c.to_json() for c in details.copies],
    }
    if ctx.output.as_json:
        ctx.output.result(data)
        return 0
    ctx.output.result(None, item_block(details))
    ctx.output.table(
        [
            {"id": c.id, "label": c.label, "state": c.state.label(), "holder": c.holder}
            for c in details.copies
        ],
        [("id", "#"), ("label", _("Copy")), ("state", _("State")), ("holder", _("Holder"))],
    )
    return 0


def item_block(details: Any) -> str:
    """An item as a readable block of labelled lines, in the current language."""
    item = details.item
    expiry = dates.day(details.expiry.expiry)
    if details.expiry.expired:
        expiry = _("{date} (protection has ended)").format(date=expiry)
    elif details.expiry.expiring_soon:
        expiry = _("{date} (expiring soon: extend or declassify)").format(date=expiry)
    lines = [
        (_("Register"), entry_label(item.book_kind, item.number, item.year).render()),
        (_("Number, symbol"), item.number_symbol),
        (_("Date"), dates.day(item.doc_date)),
        (_("Level"), item.level.label(current_language())),
        (_("Type"), item.doc_type or "—"),
        (_("Issuer"), item.issuer or "—"),
        (_("Summary"), item.summary or "—"),
        (_("Copies"), str(item.copies_issued)),
    ]
    legal = getattr(details, "legal", None)
    if legal is not None and legal.summary_consent_by:
        consent = _("{name}, on {date}").format(
            name=legal.summary_consent_by, date=dates.day(legal.summary_consent_on or "")
        )
        lines.append((_("Summary consented by"), consent))
    if legal is not None and (legal.list_decision or legal.list_entry):
        basis = " – ".join(x for x in (legal.list_decision, legal.list_entry) if x)
        lines.append((_("List of secrets"), basis))
    if legal is not None and legal.file_copy_holder:
        lines.append((_("File copy held by"), legal.file_copy_holder))
    if item.cancelled:
        lines.append((_("Note"), _("Cancelled")))
    if item.unopened:
        lines.append((_("Note"), _("Not yet opened by {name}").format(name=item.named_addressee)))
    lines.append((_("Protected until"), expiry))
    width = max(len(label) for label, _value in lines)
    return "\n".join(f"{(label + ':').ljust(width + 1)} {value}" for label, value in lines)


def run_item_open(args: argparse.Namespace, ctx: CliContext) -> int:
    item = ctx.unlock().items.confirm_opened(args.item, args.by)
    ctx.output.result(item.to_json(), _("Opening confirmed by {name}.").format(name=args.by))
    return 0


# -- copies ------------------------------------------------------------------------------
def _copies(commands: Any) -> None:
    copy = commands.add_parser("copy", help=_("reproductions (sao, chụp)"))
    sub = copy.add_subparsers(dest="copy_command", metavar="ACTION", required=True)
    request = sub.add_parser("request", help=_("request copies of a copy"))
    request.add_argument("--source", type=int, required=True, help=_("the copy to copy from"))
    request.add_argument("--count", type=int, required=True)
    request.add_argument("--form", choices=FORMS, required=True)
    request.add_argument("--purpose", default="")
    request.set_defaults(handler=run_copy_request)
    approve = sub.add_parser("approve", help=_("approve a copy request (countersigned)"))
    approve.add_argument("request", type=int)
    approve.add_argument("--count", type=int, help=_("authorise fewer than requested"))
    parsing.add_approver_options(approve)
    approve.set_defaults(handler=run_copy_approve)
    refuse = sub.add_parser("refuse", help=_("refuse a copy request (countersigned)"))
    refuse.add_argument("request", type=int)
    parsing.add_approver_options(refuse)
    refuse.set_defaults(handler=run_copy_refuse)
    record = sub.add_parser("record", help=_("record the copies made"))
    record.add_argument("request", type=int)
    record.add_argument("--made", type=int, required=True)
    record.add_argument("--spoiled", type=int, default=0)
    record.add_argument("--by", required=True, help=_("who made the copies"))
    record.add_argument("--on", type=parsing.iso_date, required=True)
    record.add_argument("--place", default="")
    record.set_defaults(handler=run_copy_record)
    listing = sub.add_parser("list", help=_("list copy requests"))
    listing.add_argument(
        "--pending", action="store_true", help=_("only requests awaiting approval")
    )
    listing.set_defaults(handler=run_copy_list)


def run_copy_request(args: argparse.Namespace, ctx: CliContext) -> int:
    repro = ctx.unlock().copies.request(args.source, args.count, args.form, args.purpose)
    ctx.output.result(repro.to_json(), _("Copy request #{id} recorded.").format(id=repro.id))
    return 0


def run_copy_approve(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    approver = parsing.countersign(args, ctx, opened)
    repro = opened.copies.approve(args.request, approver, args.count)
    ctx.output.result(
        repro.to_json(),
        translate(
            plural(
                repro.authorised_count or 0,
                N_("Copy request #{id} approved for {count} copy."),
                N_("Copy request #{id} approved for {count} copies."),
            )
        ).format(id=repro.id, count=repro.authorised_count),
    )
    return 0


def run_copy_refuse(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    repro = opened.copies.refuse(args.request, parsing.countersign(args, ctx, opened))
    ctx.output.result(repro.to_json(), _("Copy request #{id} refused.").format(id=repro.id))
    return 0


def run_copy_list(args: argparse.Namespace, ctx: CliContext) -> int:
    copies = ctx.unlock().copies
    found = copies.pending() if args.pending else copies.list()
    rows = [r.to_json() for r in found]
    ctx.output.table(
        rows,
        [
            ("id", "#"),
            ("source_copy_id", _("From copy")),
            ("form", _("Form")),
            ("requested_count", _("Requested")),
            ("authorised_count", _("Authorised")),
            ("made_count", _("Made")),
            ("status", _("Status")),
            ("requested_by", _("Requested by")),
            ("requested_at", _("Requested at")),
            ("purpose", _("Purpose")),
        ],
        {
            "form": labelled(copy_service.FORM_LABELS),
            "status": labelled(copy_service.STATUS_LABELS),
            "requested_at": dates.local_minute,
        },
    )
    return 0


def run_copy_record(args: argparse.Namespace, ctx: CliContext) -> int:
    made = ctx.unlock().copies.record(
        args.request,
        args.made,
        copied_by=args.by,
        copied_on=args.on,
        place=args.place,
        spoiled=args.spoiled,
    )
    rows = [c.to_json() for c in made]
    ctx.output.table(rows, [("id", "#"), ("label", _("Copy")), ("holder", _("Holder"))])
    return 0


# -- handovers ---------------------------------------------------------------------------
def _handovers(commands: Any) -> None:
    handover = commands.add_parser("handover", help=_("numbered handovers and receipts"))
    sub = handover.add_subparsers(dest="handover_command", metavar="ACTION", required=True)
    create = sub.add_parser("create", help=_("hand copies over; gets the next number"))
    create.add_argument("--kind", choices=KINDS, required=True)
    create.add_argument("--copies", type=parsing.id_list, required=True)
    create.add_argument("--to", default="", help=_("receiving body"))
    create.add_argument("--person", default="", help=_("receiving person"))
    create.add_argument("--courier", default="")
    create.add_argument("--marks", default="", help=_("extra envelope marks"))
    create.add_argument("--due", type=parsing.iso_date, help=_("receipt expected by"))
    create.set_defaults(handler=run_handover_create)
    receipt = sub.add_parser("receipt", help=_("record the signed receipt"))
    receipt.add_argument("number", type=int)
    receipt.add_argument("--year", type=int)
    receipt.add_argument("--received-by", required=True)
    receipt.add_argument("--at", type=parsing.iso_moment, required=True)
    receipt.set_defaults(handler=run_handover_receipt)
    recall = sub.add_parser("recall-back", help=_("a recalled item came back"))
    recall.add_argument("number", type=int)
    recall.add_argument("--year", type=int)
    recall.set_defaults(handler=run_handover_recall)
    listing = sub.add_parser("list", help=_("list handovers"))
    listing.add_argument("--open", action="store_true")
    listing.add_argument("--year", type=int)
    listing.set_defaults(handler=run_handover_list)
    overdue = sub.add_parser("overdue", help=_("open handovers past their deadline"))
    overdue.add_argument("--on", type=parsing.iso_date)
    overdue.set_defaults(handler=run_handover_overdue)
    add_scan_command(sub)


def _handover_columns() -> list[tuple[str, str]]:
    return [
        ("number", _("Number")),
        ("kind", _("Kind")),
        ("to", _("To")),
        ("copies", _("Copies")),
        ("status", _("Status")),
        ("receipt_by", _("Receipt signed by")),
    ]


HANDOVER_TEXT = {
    "kind": labelled(handover_service.KIND_LABELS),
    "status": labelled(handover_service.STATUS_LABELS),
    "handed_at": dates.local_minute,
    "due": dates.day,
}


def run_handover_create(args: argparse.Namespace, ctx: CliContext) -> int:
    handover = ctx.unlock().handovers.create(
        args.kind,
        args.copies,
        recipient_body=args.to,
        recipient_person=args.person,
        courier=args.courier,
        marks=args.marks,
        due_by=args.due,
    )
    ctx.output.result(
        handover.to_json(), _("Handover {number} recorded.").format(number=handover.label)
    )
    return 0


def _year(args: argparse.Namespace, opened: Any) -> int:
    return int(args.year or opened.ctx.today().year)


def run_handover_receipt(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    handover = opened.handovers.receipt(_year(args, opened), args.number, args.received_by, args.at)
    ctx.output.result(
        handover.to_json(),
        _("Receipt of handover {number} recorded.").format(number=handover.label),
    )
    return 0


def run_handover_recall(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    handover = opened.handovers.recall_back(_year(args, opened), args.number)
    ctx.output.result(handover.to_json(), _("Done."))
    return 0


def run_handover_list(args: argparse.Namespace, ctx: CliContext) -> int:
    opened = ctx.unlock()
    status = "open" if args.open else None
    found = opened.handovers.list(status=status, year=args.year)
    hidden = opened.handovers.hidden_count(status=status, year=args.year)
    ctx.output.table([h.to_json() for h in found], _handover_columns(), HANDOVER_TEXT)
    if hidden and not ctx.output.as_json:
        ctx.output.result(None, hidden_notice(hidden))
    return 0


def run_handover_overdue(args: argparse.Namespace, ctx: CliContext) -> int:
    late = ctx.unlock().handovers.overdue(args.on)
    rows = [
        {
            **o.handover.to_json(),
            "due": o.due.isoformat(),
            "days_late": o.days_late,
            "recall": o.recall,
        }
        for o in late
    ]
    ctx.output.table(
        rows,
        [*_handover_columns()[:4], ("due", _("Due")), ("days_late", _("Days late"))],
        HANDOVER_TEXT,
    )
    return 0
