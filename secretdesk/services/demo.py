"""A year of realistic work for the demo vault: Sở Tư pháp tỉnh Quảng Ngãi.

``populate(app, clock)`` records, through the services only, what the department's clerk
does in a year: incoming secret documents issued to officials and returned, outgoing ones
dispatched with receipts coming back (a few never do, so the overdue list has work on it),
internal documents, authorised reproductions, a recall item, a named-addressee envelope, a
cancelled entry, last year's books locked in January and one destruction case.

Deterministic: the work depends only on the seed and the demo's last day. Everyday work is
drawn from a seeded random generator; the events the demo promises (a refused copy request, a
dispatch whose receipt never came back, a recalled item, a named-addressee envelope, a locked
book, a cancelled entry, a destruction case, copies still issued, requests waiting) are
milestones placed on purpose, so they exist whatever the last day is. The window starts on the
first of a month a year back (13 months when the last day is in January), so it always holds
a January in which the previous year's books are locked. The Tuyệt mật summary rule of the
basis in force on each day is respected. Drafts are written, revised and the superseded
versions destroyed (``_drafts``).
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Protocol

from secretdesk.domain.copies import Copy
from secretdesk.domain.destruction import CouncilSeat
from secretdesk.domain.items import Direction, Item, Registration, Urgency
from secretdesk.domain.legal import SummaryRule
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, Role
from secretdesk.services.context import ServiceContext
from secretdesk.services.copies import CopyService
from secretdesk.services.demo_data import (
    BODIES,
    DEPUTY,
    DIRECTOR,
    INCOMING_SUMMARIES,
    INCOMING_TYPES,
    INTERNAL_SUMMARIES,
    ISSUERS,
    OUTGOING,
    RECEIVERS,
    STAFF,
    STORE,
    USERS,
)
from secretdesk.services.destruction import DestructionService
from secretdesk.services.drafts import DraftService
from secretdesk.services.handovers import HandoverService
from secretdesk.services.items import ItemService
from secretdesk.services.registry import RegistryService, basis_on
from secretdesk.services.users import PRIVILEGED_ROLES, UserService
from secretdesk.storage import items as items_storage
from secretdesk.system.clock import Clock, FixedClock, today

SEED = 2026
DEFAULT_PASSPHRASE = "demo-passphrase"


class HasContext(Protocol):
    """What populate needs of the unlocked app: its service context (vault, actor, clock)."""

    ctx: ServiceContext


@dataclass
class DemoSummary:
    users: list[str] = field(default_factory=list)
    items: int = 0
    handovers: int = 0
    reproductions: int = 0
    destruction_cases: int = 0
    first_day: date | None = None
    last_day: date | None = None


def demo_window(last_day: date) -> tuple[date, date]:
    """(first day, last day) of the demo's work: from the first of the month a year back.

    When the last day is in January the window starts one month earlier, so it always holds
    a January (from the 5th) that follows working days of the previous year.
    """
    months_back = 13 if last_day.month == 1 else 12
    index = last_day.year * 12 + last_day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1), last_day


def default_last_day(clock: Clock) -> date:
    """Without an explicit last day the demo's work ends yesterday, in local time."""
    return today(clock) - timedelta(days=1)


def demo_start(first_day: date) -> datetime:
    """The moment the demo's first working day begins, in local time."""
    return datetime.combine(first_day, time(7, 30)).astimezone()


def populate(
    app: HasContext,
    clock: FixedClock,
    last_day: date,
    *,
    passphrase: str = DEFAULT_PASSPHRASE,
    seed: int = SEED,
) -> DemoSummary:
    """Record the work from ``clock``'s date to ``last_day``, moving ``clock`` forward.

    ``clock`` is the app's clock for the duration (the previous one is put back after).
    """
    previous = app.ctx.clock
    app.ctx.clock = clock
    try:
        return _Year(app.ctx, clock, random.Random(seed), passphrase).run(last_day)
    finally:
        app.ctx.clock = previous


Task = Callable[[], object]


class _Year:
    def __init__(
        self, ctx: ServiceContext, clock: FixedClock, rng: random.Random, passphrase: str
    ) -> None:
        self.ctx, self.clock, self.rng, self.passphrase = ctx, clock, rng, passphrase
        self.items = ItemService(ctx)
        self.copies = CopyService(ctx)
        self.handovers = HandoverService(ctx)
        self.registry = RegistryService(ctx)
        self.destruction = DestructionService(ctx)
        self.drafts = DraftService(ctx, self.items)
        self.users = UserService(ctx)
        self.approvers: dict[str, Actor] = {}
        self.tasks: list[tuple[date, int, Task]] = []
        self.order = itertools.count()
        self.serials: dict[tuple[int, str], int] = {}
        self.summary = DemoSummary()
        self.day = clock.now().astimezone().date()
        self.cursor = max(datetime.combine(self.day, time(7, 30)).astimezone(), clock.now())
        self.days_left = 0
        self.milestones_done: set[str] = set()

    # -- time ------------------------------------------------------------------------------
    def tick(self, low: int = 3, high: int = 25) -> None:
        """Move the clock a few minutes on within the working day."""
        self.cursor += timedelta(minutes=self.rng.randint(low, high))
        self.clock.advance(seconds=(self.cursor - self.clock.now()).total_seconds())

    def later(self, days: int, task: Task) -> None:
        heapq.heappush(self.tasks, (self.day + timedelta(days=days), next(self.order), task))

    def run(self, last_day: date) -> DemoSummary:
        start = self.day
        self.tick()
        self._users()
        milestones = self._milestones()
        for offset in range((last_day - start).days + 1):
            self.day = start + timedelta(days=offset)
            if self.day.weekday() >= 5:
                continue
            self.cursor = max(self.cursor, datetime.combine(self.day, time(7, 45)).astimezone())
            self.tick(1, 5)
            self.days_left = (last_day - self.day).days + 1
            self._working_day(first=offset == 0 or not self.summary.items)
            for name, (days_left, milestone) in milestones.items():
                if self.days_left <= days_left and name not in self.milestones_done:
                    self.milestones_done.add(name)
                    milestone()
        self.summary.first_day, self.summary.last_day = start, last_day
        self.summary.handovers = len(self.handovers.list())
        return self.summary

    def _milestones(self) -> dict[str, tuple[int, Task]]:
        """What the demo promises, each on the first working day at most N days before the end."""
        return {
            "named envelope": (230, partial(self._incoming, named=True)),
            "recalled incoming": (220, partial(self._incoming, recall=True, level=Level.TOI_MAT)),
            "recalled dispatch": (200, self._recall_dispatch),
            "cancelled entry": (150, self._cancelled_entry),
            "refused copy request": (120, partial(self._reproduction, refuse=True)),
            "copies to destroy": (60, partial(self._reproduction, level=Level.MAT, refuse=False)),
            "unanswered dispatch": (40, partial(self._outgoing, receipt=False)),
            "destruction": (25, self._destruction),
            "still issued": (3, partial(self._internal, returned=False)),
            "requests waiting": (3, self._pending_requests),
        }

    def _working_day(self, *, first: bool) -> None:
        if self.day.month == 1 and 5 <= self.day.day <= 12:
            self._lock_last_year()
        while self.tasks and self.tasks[0][0] <= self.day:
            heapq.heappop(self.tasks)[2]()
        for _ in range(max(first, self.rng.choices((0, 1, 2), (50, 38, 12))[0])):
            self._incoming()
        for _ in range(self.rng.choices((0, 1, 2), (62, 33, 5))[0]):
            self._outgoing()
        if self.rng.random() < 0.06:
            self._internal()
        if self.rng.random() < 0.1:
            self._reproduction()
        self._drafts()

    # -- people ----------------------------------------------------------------------------
    def _users(self) -> None:
        countersigner: str | None = None  # two-person control: the first approver signs on
        for user in USERS:
            actor = self.users.add(
                user.username,
                user.role,
                self.passphrase,
                full_name=user.full_name,
                max_level=user.max_level,
                approver=(
                    self.users.countersign(countersigner, self.passphrase)
                    if countersigner and user.role in PRIVILEGED_ROLES
                    else None
                ),
            )
            if countersigner is None and user.role in (Role.APPROVER, Role.ADMIN):
                countersigner = user.username
            if user.role is Role.APPROVER:
                self.approvers[user.username] = actor
            self.summary.users.append(user.username)
            self.tick(1, 3)

    # -- registering -----------------------------------------------------------------------
    def _level(self, weights: tuple[int, int, int]) -> Level:
        return self.rng.choices((Level.MAT, Level.TOI_MAT, Level.TUYET_MAT), weights)[0]

    def _summary(self, level: Level, text: str) -> tuple[str, bool]:
        """(summary, classifier consent) as the basis in force allows for this level."""
        if level is not Level.TUYET_MAT:
            return text, False
        rule = basis_on(self.day).tuyet_mat_summary
        if rule is SummaryRule.WITH_CLASSIFIER_CONSENT and self.rng.random() < 0.5:
            return text, True
        return ("", False) if rule is not SummaryRule.ALLOWED else (text, False)

    def _register(self, registration: Registration) -> Item:
        self.tick()
        item = self.items.register(registration)
        self.summary.items += 1
        return item

    def _copies(self, item: Item) -> list[Copy]:
        """Read without ItemService.show, which records every view of a Tuyệt mật item."""
        return items_storage.copies_of(self.ctx.read(), item.id)

    def _originals(self, item: Item) -> list[Copy]:
        return [c for c in self._copies(item) if c.kind == "original"]

    def _incoming(
        self, *, named: bool = False, recall: bool = False, level: Level | None = None
    ) -> None:
        issuer, suffix = self.rng.choice(ISSUERS)
        level = level or self._level((62, 32, 6))
        summary, consent = self._summary(level, self.rng.choice(INCOMING_SUMMARIES))
        addressee = DIRECTOR if named or self.rng.random() < 0.08 else ""
        recall = recall or (self.rng.random() < 0.1 and level is not Level.MAT)
        number = self.rng.randint(12, 980)
        doc_date = self.day - timedelta(days=self.rng.randint(1, 5))
        item = self._register(
            Registration(
                direction=Direction.INCOMING,
                level=level,
                number_symbol=f"{number}/{suffix}" if "/" not in suffix else f"{number}-{suffix}",
                doc_date=doc_date,
                copies=self.rng.choices((1, 2), (85, 15))[0],
                doc_type=self.rng.choice(INCOMING_TYPES),
                issuer=issuer,
                summary="" if addressee else summary,
                summary_consent=consent and not addressee,
                urgency=self.rng.choice((None, None, None, Urgency.KHAN, Urgency.THUONG_KHAN)),
                pages=self.rng.randint(1, 12),
                classifier=f"Thủ trưởng {issuer}",
                recall_by=self.day + timedelta(days=self.rng.randint(35, 60)) if recall else None,
                named_addressee=addressee,
                recipients=addressee or "Giám đốc Sở",
                storage_location=STORE,
            )
        )
        first = self._originals(item)[0]
        person = addressee or self.rng.choice(STAFF)
        self.tick()
        self.handovers.create("issue", [first.id], recipient_person=person)
        if addressee:
            self.later(self.rng.randint(0, 2), lambda: self._open(item, addressee))
        self.later(self.rng.randint(1, 9), lambda: self._return(first.id, person))
        if recall:
            self.later(self.rng.randint(20, 30), lambda: self._recall_return(item, issuer))

    def _open(self, item: Item, person: str) -> None:
        self.tick()
        self.items.confirm_opened(item.id, person)

    def _return(self, copy_id: int, person: str) -> None:
        self.tick()
        self.handovers.create("return", [copy_id], recipient_person=person)

    def _recall_return(self, item: Item, issuer: str) -> None:
        """A "Tài liệu thu hồi" we received goes back to its issuer."""
        copies = [c for c in self._originals(item) if c.state.value == "in_storage"]
        if copies:
            self.tick()
            handover = self.handovers.create(
                "recall-return",
                [c.id for c in copies],
                recipient_body=issuer,
                courier="Trần Thị Lan",
            )
            self.later(
                self.rng.randint(2, 6), lambda: self._receipt(handover.year, handover.number)
            )

    def _serial(self, code: str) -> int:
        """The department's document series also numbers its non-secret documents."""
        key = (self.day.year, code)
        self.serials[key] = self.serials.get(key, 0) + self.rng.randint(1, 6)
        return self.serials[key]

    def _outgoing(
        self,
        *,
        recall_by: date | None = None,
        level: Level | None = None,
        receipt: bool = True,
    ) -> Item:
        doc_type = self.rng.choice(list(OUTGOING))
        code, summaries = OUTGOING[doc_type]
        level = level or self._level((60, 34, 6))
        text = self.rng.choice(summaries).format(year=self.day.year)
        summary, consent = self._summary(level, text)
        bodies = self.rng.sample(BODIES, self.rng.choice((1, 1, 2, 3)))
        serial = self._serial(code)
        item = self._register(
            Registration(
                direction=Direction.OUTGOING,
                level=level,
                number_symbol=f"{serial}/{code}" if code != "STP-VP" else f"{serial}/STP-VP",
                doc_date=self.day,
                copies=len(bodies) + 1,
                doc_type=doc_type,
                issuer="Sở Tư pháp tỉnh Quảng Ngãi",
                summary=summary,
                summary_consent=consent,
                urgency=self.rng.choice((None, None, None, Urgency.KHAN)),
                pages=self.rng.randint(1, 15),
                classifier=DIRECTOR,
                recall_by=recall_by,
                recipients="; ".join([*bodies, "Lưu VT"]),
                drafter=self.rng.choice(STAFF[2:]),
                storage_location=STORE,
            )
        )
        for copy, body in zip(self._originals(item), bodies, strict=False):
            self.tick()
            handover = self.handovers.create(
                "dispatch", [copy.id], recipient_body=body, courier="Trần Thị Lan"
            )
            if recall_by is not None:
                self.later(40, partial(self._recall_back, handover.year, handover.number))
            elif not receipt or (self.days_left < 75 and self.rng.random() < 0.2):
                continue  # the receipt has not come back: it shows on the overdue list
            self.later(
                self.rng.randint(2, 9), partial(self._receipt, handover.year, handover.number)
            )
        return item

    def _receipt(self, year: int, number: int) -> None:
        self.tick()
        hour = datetime.combine(self.day, time(self.rng.randint(8, 16), 0)).astimezone()
        self.handovers.receipt(year, number, self.rng.choice(RECEIVERS), min(hour, self.cursor))

    def _recall_dispatch(self) -> None:
        """One outgoing "Tài liệu thu hồi": dispatched, received, and recalled later."""
        self._outgoing(recall_by=self.day + timedelta(days=45), level=Level.TOI_MAT)

    def _recall_back(self, year: int, number: int) -> None:
        handover = self.handovers.find(year, number)
        if handover.status == "open":
            self.tick()
            self.handovers.recall_back(year, number)

    def _internal(self, *, returned: bool = True) -> None:
        level = self._level((70, 28, 2))
        summary, consent = self._summary(level, self.rng.choice(INTERNAL_SUMMARIES))
        item = self._register(
            Registration(
                direction=Direction.INTERNAL,
                level=level,
                number_symbol=f"{self._serial('NB-VP')}/NB-VP",
                doc_date=self.day,
                copies=1,
                doc_type=self.rng.choice(("Kế hoạch", "Thông báo", "Biên bản")),
                issuer="Văn phòng Sở Tư pháp",
                summary=summary,
                summary_consent=consent,
                pages=self.rng.randint(1, 5),
                classifier=DIRECTOR,
                storage_location=STORE,
            )
        )
        first = self._originals(item)[0]
        person = self.rng.choice(STAFF)
        self.tick()
        self.handovers.create("issue", [first.id], recipient_person=person)
        back_in = self.rng.randint(2, 12)
        if returned:
            self.later(back_in, lambda: self._return(first.id, person))

    # -- reproductions ---------------------------------------------------------------------
    def _copy_source(self, level: Level | None = None) -> tuple[Item, Copy] | None:
        candidates = self.items.search(kind=self.rng.choice(("incoming", "outgoing")), limit=40)
        self.rng.shuffle(candidates)
        for item in candidates:
            if item.cancelled or not item.copying_allowed or item.level is Level.TUYET_MAT:
                continue
            if level is not None and item.level is not level:
                continue
            for copy in self._copies(item):
                if copy.state.value == "in_storage" and copy.kind == "original":
                    return item, copy
        return None

    def _reproduction(self, *, level: Level | None = None, refuse: bool | None = None) -> None:
        """A copy request, approved (or refused: by chance, or on purpose when ``refuse``)."""
        found = self._copy_source(level)
        if found is None:
            return
        item, source = found
        approver = self.approvers["giamdoc" if item.level is Level.TOI_MAT else "phogiamdoc"]
        requested = self.rng.randint(1, 3)
        self.tick()
        repro = self.copies.request(
            source.id,
            requested,
            self.rng.choice(("sao-y", "sao-luc", "trich-sao", "chup")),
            purpose=self.rng.choice(
                ("Phục vụ họp giao ban", "Gửi phòng chuyên môn nghiên cứu", "Phục vụ kiểm tra")
            ),
        )
        self.summary.reproductions += 1
        self.tick()
        refused = self.rng.random() < 0.08
        if refuse if refuse is not None else refused:
            self.copies.refuse(repro.id, approver)
            return
        authorised = self.rng.randint(1, requested)
        self.copies.approve(repro.id, approver, authorised)

        def record() -> None:
            self.tick()
            self.copies.record(
                repro.id,
                authorised,
                copied_by="Trần Thị Lan",
                copied_on=self.day,
                place="Phòng máy không kết nối mạng, Văn phòng Sở",
                spoiled=1 if self.rng.random() < 0.1 else 0,
            )

        self.later(self.rng.randint(0, 2), record)

    def _pending_requests(self) -> None:
        """Left for the demo user to decide: one Mật request (and one Tuyệt mật if any)."""
        if self.copies.pending():
            return
        for level in (Level.MAT, Level.TOI_MAT):
            found = self._copy_source(level)
            if found:
                self.tick()
                self.copies.request(found[1].id, 1, "sao-y", purpose="Phục vụ họp giao ban")
                self.summary.reproductions += 1

    # -- corrections, books, destruction, drafts -------------------------------------------
    def _cancelled_entry(self) -> None:
        """A wrong registration, cancelled (it keeps its number) and registered again."""
        wrong = self._register(
            Registration(
                direction=Direction.INCOMING,
                level=Level.MAT,
                number_symbol="215/UBND-NC",
                doc_date=self.day - timedelta(days=2),
                copies=1,
                doc_type="Công văn",
                issuer="Ủy ban nhân dân tỉnh Quảng Ngãi",
                summary="Triển khai công tác đặc xá",
                storage_location=STORE,
            )
        )
        self.tick()
        self.registry.cancel(
            "incoming", wrong.year, wrong.number, "Đăng ký nhầm độ mật (đúng là Tối mật)"
        )
        self._register(
            Registration(
                direction=Direction.INCOMING,
                level=Level.TOI_MAT,
                number_symbol="215/UBND-NC",
                doc_date=self.day - timedelta(days=2),
                copies=1,
                doc_type="Công văn",
                issuer="Ủy ban nhân dân tỉnh Quảng Ngãi",
                summary="Triển khai công tác đặc xá",
                storage_location=STORE,
                extra_search=(f"thay thế số {wrong.number}/{wrong.year}",),
            )
        )

    def _lock_last_year(self) -> None:
        for book in self.registry.books(year=self.day.year - 1):
            current = self.registry.books(book.kind, book.year)[-1]
            if book.id == current.id and not book.locked:
                self.tick()
                self.registry.lock(book.kind, book.year)

    def _destruction(self) -> None:
        """Reproductions of Mật items no longer needed: council, decision, destruction."""
        copies = [
            c
            for item in self.items.search(level=Level.MAT, limit=10_000)
            for c in self._copies(item)
            if c.kind == "reproduction" and c.state.value == "in_storage"
        ][:4]
        if not copies:
            return
        self.tick()
        case = self.destruction.propose(
            [c.id for c in copies],
            "Bản sao phục vụ họp đã hết giá trị sử dụng",
            [
                CouncilSeat(DEPUTY, "chair", "Phó Giám đốc Sở"),
                CouncilSeat("Trần Thị Lan", "holder", "Cán bộ quản lý bí mật nhà nước"),
                CouncilSeat("Nguyễn Văn Bình", "member", "Chánh Văn phòng Sở"),
            ],
        )
        self.summary.destruction_cases += 1
        self.tick()
        self.destruction.approve(case.id, self.approvers["giamdoc"], f"{case.number}/QĐ-STP")

        def record() -> None:
            self.tick()
            self.destruction.record(
                case.id,
                at=self.cursor,
                place="Văn phòng Sở Tư pháp",
                method="Nghiền bằng máy hủy tài liệu chuyên dụng",
            )

        self.later(3, record)

    def _drafts(self) -> None:
        """Now and then a draft (dự thảo) is written, revised, and the old version destroyed."""
        if self.rng.random() >= 0.04:
            return
        doc_type = self.rng.choice(list(OUTGOING))
        title = f"{doc_type} " + self.rng.choice(OUTGOING[doc_type][1]).format(year=self.day.year)
        self.tick()
        draft = self.drafts.add(
            title,
            self._level((60, 34, 6)),
            drafter=self.rng.choice(STAFF[2:]),
            computer="MAY-SOAN-THAO-MAT-01",
        )

        def revise() -> None:
            self.tick()
            self.drafts.supersede(draft.id, computer="MAY-SOAN-THAO-MAT-01")
            self.later(2, destroy_old)

        def destroy_old() -> None:
            self.tick()
            self.drafts.destroy(draft.id, "Xé nhỏ bằng máy hủy tài liệu")

        self.later(2, revise)
