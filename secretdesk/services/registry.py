"""Legal bases and register books: which rules are in force, which book gets the next entry."""

from __future__ import annotations

from datetime import date
from functools import cache

from secretdesk.domain.books import Book as Book  # for the front ends
from secretdesk.domain.books import BookKind, Entry
from secretdesk.domain.legal import LegalBasis, basis_in_force, parse_basis
from secretdesk.domain.roles import Permission
from secretdesk.i18n import N_, LazyText, label
from secretdesk.resources import load_json, resource_path
from secretdesk.services.context import Change, ServiceContext
from secretdesk.services.errors import BookLocked, InvalidRequest, NotFound
from secretdesk.storage import legal, registry
from secretdesk.storage.sqlite import Connection, IntegrityError

BOOK_KINDS = tuple(kind.value for kind in BookKind)
# How each register reads in tables, and an entry of it in sentences ("Sổ đi số 12/2026").
BOOK_KIND_LABELS = {
    "outgoing": N_("Outgoing"),
    "incoming": N_("Incoming"),
    "internal": N_("Internal"),
    "copies": N_("Reproductions"),
    "handovers": N_("Handovers"),
    "drafts": N_("Drafts"),
    "destruction": N_("Destruction"),
}
ENTRY_LABELS = {
    "outgoing": N_("Outgoing register no. {number}/{year}"),
    "incoming": N_("Incoming register no. {number}/{year}"),
    "internal": N_("Internal register no. {number}/{year}"),
    "copies": N_("Reproduction register no. {number}/{year}"),
    "handovers": N_("Handover register no. {number}/{year}"),
    "drafts": N_("Draft register no. {number}/{year}"),
    "destruction": N_("Destruction register no. {number}/{year}"),
}


def entry_label(kind: str, number: int, year: int) -> LazyText:
    """An entry as a clerk names it, translated when shown: "Sổ đi số 12/2026"."""
    message = ENTRY_LABELS.get(kind)
    if message is None:
        return LazyText("{kind} {number}/{year}", kind=kind, number=number, year=year)
    return LazyText(message, number=number, year=year)


def entry_text(raw: str) -> LazyText | str:
    """A stored "outgoing 5/2026" as the clerk reads it: "Sổ đi số 5/2026"."""
    kind, _, number = raw.partition(" ")
    count, _, year = number.partition("/")
    if kind in ENTRY_LABELS and count.isdigit() and year.isdigit():
        return entry_label(kind, int(count), int(year))
    return raw


def book_label(kind: str) -> LazyText | str:
    return label(BOOK_KIND_LABELS, kind)


def _book_year(kind: str, year: int) -> LazyText:
    return LazyText("{book} {year}", book=book_label(kind), year=year)


@cache
def legal_bases() -> tuple[LegalBasis, ...]:
    """Every rule file under resources/rules, validated."""
    paths = sorted(resource_path("rules").glob("*.json"))
    return tuple(parse_basis(p.name, load_json("rules", p.name)) for p in paths)


def basis_on(day: date) -> LegalBasis:
    return basis_in_force(legal_bases(), day)


def sync_legal_bases(conn: Connection) -> list[str]:
    return legal.sync(conn, legal_bases())


def book_for(change: Change, kind: str, day: date) -> Book:
    """The open book of that kind for the day's year, opened (volume 1) when there is none."""
    book = registry.current_book(change.conn, kind, day.year)
    if book is None:
        book = _open_book(change, kind, day.year, day)
    if book.locked:
        raise BookLocked(book=book_name(book))
    return book


def new_entry(change: Change, kind: str, day: date, corrects: int | None = None) -> Entry:
    """Moved to services/custody.py ``open_entry`` (this name is kept for branches in flight)."""
    from secretdesk.services.custody import open_entry

    return open_entry(change, kind, day, corrects)


def _open_book(change: Change, kind: str, year: int, day: date) -> Book:
    """A new volume takes the legal basis in force on the day it is opened (DOMAIN.md §2)."""
    book = registry.open_book(change.conn, kind, year, basis_on(day).code, day.isoformat())
    change.audit(
        "book.opened",
        "book",
        book.id,
        kind=kind,
        year=book.year,
        volume=book.volume,
        legal_basis=book.legal_basis,
    )
    return book


def book_name(book: Book) -> str:
    return f"{book.kind} {book.year} / {book.volume}"


class RegistryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def books(self, kind: str | None = None, year: int | None = None) -> list[Book]:
        return registry.books(self.ctx.read(), kind, year)

    def lock(self, kind: str, year: int, *, open_next_volume: bool = False) -> Book:
        """Close the current volume; with ``open_next_volume`` numbering continues in a new one."""
        with self.ctx.change(Permission.RECORD) as change:
            book = registry.current_book(change.conn, kind, year)
            if book is None:
                raise NotFound(what=LazyText(N_("register book")), ref=_book_year(kind, year))
            if book.locked:
                raise BookLocked(book=book_name(book))
            registry.lock_book(change.conn, book.id, self.ctx.today().isoformat())
            change.audit("book.locked", "book", book.id, kind=kind, year=year, volume=book.volume)
            if open_next_volume:
                return _open_book(change, kind, year, self.ctx.today())
            return registry.get_book(change.conn, book.id)

    def cancel(self, kind: str, year: int, number: int, reason: str) -> Entry:
        """A cancelled entry keeps its number and shows as cancelled (rule 4, rule 8)."""
        if not reason.strip():
            raise InvalidRequest(reason=LazyText(N_("A cancellation needs a reason.")))
        with self.ctx.change(Permission.RECORD) as change:
            entry = registry.find_entry(change.conn, kind, year, number)
            if entry is None:
                raise NotFound(what=LazyText(N_("entry")), ref=entry_label(kind, number, year))
            if entry.cancelled:
                raise InvalidRequest(reason=LazyText(N_("The entry is already cancelled.")))
            if registry.entry_in_use(change.conn, entry):
                raise InvalidRequest(
                    reason=LazyText(
                        N_(
                            "Entry {number}/{year} cannot be cancelled while what it registered "
                            "is still in use (an open handover, a pending destruction or copy "
                            "request, a working draft, or copies issued, taken out or in "
                            "transit). Close that first."
                        ),
                        number=number,
                        year=year,
                    )
                )
            try:
                registry.cancel_entry(change.conn, entry.id, reason.strip())
            except IntegrityError as error:
                book = registry.get_book(change.conn, entry.book_id)
                raise BookLocked(book=book_name(book)) from error
            change.audit(
                "entry.cancelled",
                "entry",
                entry.id,
                kind=kind,
                year=year,
                number=number,
                reason=reason.strip(),
            )
            return registry.get_entry(change.conn, entry.id)
