"""Make a large realistic vault for the benchmarks: years of a busy unit's register.

Run: ``python tests/benchmarks/generate.py --items N --out DIR --passphrase P`` (not part of
the test run). The vault has the user ``admin`` (passphrase P) and an approver ``giamdoc``
(same passphrase), and holds N items over several years in all three registers (incoming,
outgoing, internal) with one to three copies each, dispatches with their receipts, issues to
staff and returns, authorised reproductions, a destruction case a year (proposed by a council,
approved, carried out) and last year's books locked every January.

Everything goes through the services, so every rule the database and the domain enforce is
kept and the audit log is the one the program itself writes (one event per item, handover,
receipt ...); ``self-test`` and ``audit verify`` pass on the result. The bulk path is
``ItemService.register_in`` for a whole working day inside one change (one transaction),
as the spreadsheet import does, with the generator's own connection at
``synchronous = OFF`` (a crash would lose the file being made, nothing else; the vault opened
later uses the program's own pragmas). Deterministic for a given seed and item count.
Prints one JSON line with what was made and how long it took.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``secretdesk`` and ``tests`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.crypto import kdf
from secretdesk.domain.items import Direction, Registration, Urgency
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Actor, Permission, Role
from secretdesk.services.demo_data import (
    BODIES,
    INCOMING_SUMMARIES,
    INCOMING_TYPES,
    INTERNAL_SUMMARIES,
    ISSUERS,
    OUTGOING,
    RECEIVERS,
    STAFF,
)
from secretdesk.services.setup import UnitSetup
from secretdesk.storage.destruction import CouncilSeat
from secretdesk.system.clock import FixedClock

SEED = 16
LAST_DAY = date(2026, 11, 30)
STORE = "Tủ sắt Văn phòng Sở"
UNIT = UnitSetup(
    name="Sở Tư pháp tỉnh Quảng Ngãi",
    code="STP-QNG",
    superior_body="Ủy ban nhân dân tỉnh Quảng Ngãi",
    place="Quảng Ngãi",
)
COUNCIL = [
    CouncilSeat("Lê Thị Hồng", "chair", "Phó Giám đốc Sở"),
    CouncilSeat("Trần Thị Lan", "holder", "Cán bộ quản lý bí mật nhà nước"),
    CouncilSeat("Nguyễn Văn Bình", "member", "Chánh Văn phòng Sở"),
]


@dataclass
class Made:
    items: int = 0
    copies: int = 0
    handovers: int = 0
    receipts: int = 0
    reproductions: int = 0
    destruction_cases: int = 0
    destroyed_copies: int = 0
    books_locked: int = 0
    first_day: str = ""
    last_day: str = ""
    seconds: float = 0.0
    items_per_second: float = 0.0


def working_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def years_for(items: int) -> int:
    """Six years for a million items (2021 to 2026: the first legal basis in the rules took
    effect on 1 July 2020, and no entry may predate its basis), fewer for smaller vaults
    (at least three)."""
    return max(3, min(6, items // 100_000))


class Generator:
    def __init__(self, app: App, clock: FixedClock, rng: random.Random, approver: Actor) -> None:
        self.app, self.clock, self.rng, self.approver = app, clock, rng, approver
        self.made = Made()
        self.pending_receipts: list[tuple[int, int]] = []  # (year, number) of open dispatches
        self.pending_returns: list[tuple[int, str]] = []  # (copy id, person) issued yesterday
        self.serial: dict[str, int] = defaultdict(int)
        self.to_destroy: list[int] = []  # file copies of recent internal Mật items

    # -- time ----------------------------------------------------------------------------
    def at(self, day: date, hour: int, minute: int = 0) -> None:
        self.clock._at = datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)

    # -- one day ---------------------------------------------------------------------------
    def day(self, day: date, count: int) -> None:
        if day.month == 1 and day.day <= 7:
            self.lock_last_year(day)
        self.at(day, 1, 30)
        self.receipts_and_returns(day)
        self.at(day, 2, 0)
        registrations = [self.registration(day) for _ in range(count)]
        with self.app.ctx.change(Permission.RECORD) as change:
            rows = [self.app.items.register_in(change, reg) for reg in registrations]
        self.made.items += len(rows)
        if not rows:
            return
        copies: dict[int, list[int]] = defaultdict(list)
        for copy_id, item_id in self.app.ctx.read().execute(
            "SELECT id, item_id FROM copy WHERE item_id BETWEEN ? AND ? AND kind = 'original'"
            " ORDER BY id",
            (rows[0].id, rows[-1].id),
        ):
            copies[item_id].append(copy_id)
        self.made.copies += sum(len(c) for c in copies.values())
        self.to_destroy = [
            *self.to_destroy,
            *(copies[i.id][-1] for i in rows if i.book_kind == "internal" and i.level is Level.MAT),
        ][-20:]
        self.at(day, 6, 0)
        self.dispatch(rows, copies)
        self.issue(rows, copies)
        if day.month == 6 and day.day <= 7 and day.weekday() == 0:
            self.reproduce(rows, copies)
        if day.month == 10 and day.day <= 7 and day.weekday() == 0:
            self.destroy(day)

    def registration(self, day: date) -> Registration:
        rng = self.rng
        kind = rng.choices(
            (Direction.INCOMING, Direction.OUTGOING, Direction.INTERNAL), (50, 40, 10)
        )[0]
        level = rng.choices((Level.MAT, Level.TOI_MAT, Level.TUYET_MAT), (62, 32, 6))[0]
        if kind is Direction.INCOMING:
            issuer, suffix = rng.choice(ISSUERS)
            summary, doc_type = rng.choice(INCOMING_SUMMARIES), rng.choice(INCOMING_TYPES)
            symbol = f"{rng.randint(12, 2980)}/{suffix}"
            copies = rng.choices((1, 2), (70, 30))[0]
            recipients, drafter = "Giám đốc Sở", ""
        elif kind is Direction.OUTGOING:
            doc_type = rng.choice(list(OUTGOING))
            code, summaries = OUTGOING[doc_type]
            summary = rng.choice(summaries).format(year=day.year)
            self.serial[f"{day.year}{code}"] += 1
            symbol = f"{self.serial[f'{day.year}{code}']}/{code}"
            issuer = UNIT.name
            copies = rng.choice((2, 2, 3))
            recipients = "; ".join([*rng.sample(BODIES, copies - 1), "Lưu VT"])
            drafter = rng.choice(STAFF[2:])
        else:
            doc_type, issuer = rng.choice(("Kế hoạch", "Thông báo", "Biên bản")), "Văn phòng Sở"
            summary = rng.choice(INTERNAL_SUMMARIES)
            self.serial[f"{day.year}NB"] += 1
            symbol = f"{self.serial[f'{day.year}NB']}/NB-VP"
            copies, recipients, drafter = 1, "", rng.choice(STAFF[2:])
        return Registration(
            direction=kind,
            level=level,
            number_symbol=symbol,
            doc_date=day - timedelta(days=rng.randint(0, 3) if kind is Direction.INCOMING else 0),
            copies=copies,
            doc_type=doc_type,
            issuer=issuer,
            summary="" if level is Level.TUYET_MAT else summary,  # allowed under every basis
            urgency=rng.choice((None, None, None, Urgency.KHAN)),
            pages=rng.randint(1, 15),
            classifier="Giám đốc Sở",
            recipients=recipients,
            drafter=drafter,
            storage_location=STORE,
        )

    # -- custody ---------------------------------------------------------------------------
    def dispatch(self, rows: list, copies: dict[int, list[int]]) -> None:
        """The day's outgoing copies leave in one envelope per receiving body."""
        by_body: dict[str, list[int]] = defaultdict(list)
        for item in rows:
            if item.book_kind != "outgoing":
                continue
            bodies = item.recipients.split("; ")[:-1]
            for copy_id, body in zip(copies[item.id][:-1], bodies, strict=False):
                by_body[body].append(copy_id)
        for body, ids in by_body.items():
            handover = self.app.handovers.create(
                "dispatch", ids, recipient_body=body, courier="Trần Thị Lan"
            )
            self.made.handovers += 1
            self.pending_receipts.append((handover.year, handover.number))

    def issue(self, rows: list, copies: dict[int, list[int]]) -> None:
        """A few incoming items go to an official for the day."""
        incoming = [i for i in rows if i.book_kind == "incoming"][:3]
        for item in incoming:
            person = self.rng.choice(STAFF)
            copy_id = copies[item.id][0]
            self.app.handovers.create("issue", [copy_id], recipient_person=person)
            self.made.handovers += 1
            self.pending_returns.append((copy_id, person))

    def receipts_and_returns(self, day: date) -> None:
        for year, number in self.pending_receipts:
            received = self.clock.now()  # never before the dispatch (the chronology rule)
            self.app.handovers.receipt(year, number, self.rng.choice(RECEIVERS), received)
            self.made.receipts += 1
        for copy_id, person in self.pending_returns:
            self.app.handovers.create("return", [copy_id], recipient_person=person)
            self.made.handovers += 1
        self.pending_receipts, self.pending_returns = [], []

    def reproduce(self, rows: list, copies: dict[int, list[int]]) -> None:
        """Once a year: authorised copies of a Mật incoming item for a meeting."""
        for item in rows:
            if (
                item.book_kind == "incoming"
                and item.level is Level.MAT
                and len(copies[item.id]) >= 2
            ):
                request = self.app.copies.request(
                    copies[item.id][-1], 2, "sao-y", purpose="Phục vụ họp giao ban"
                )
                self.app.copies.approve(request.id, self.approver, 2)
                self.app.copies.record(
                    request.id,
                    2,
                    copied_by="Trần Thị Lan",
                    copied_on=self.clock.now().date(),
                    place="Phòng máy không kết nối mạng",
                )
                self.made.reproductions += 1
                return

    def destroy(self, day: date) -> None:
        """Once a year: the file copies of some internal Mật items, by council and decision."""
        chosen, self.to_destroy = self.to_destroy, []
        if not chosen:
            return
        case = self.app.destruction.propose(chosen, "Tài liệu đã hết giá trị sử dụng", COUNCIL)
        self.app.destruction.approve(case.id, self.approver, f"{case.number}/QĐ-STP")
        self.at(day, 8, 0)
        self.app.destruction.record(
            case.id,
            at=self.clock.now(),
            place="Văn phòng Sở Tư pháp",
            method="Nghiền bằng máy hủy tài liệu chuyên dụng",
        )
        self.made.destruction_cases += 1
        self.made.destroyed_copies += len(chosen)

    def lock_last_year(self, day: date) -> None:
        for book in self.app.registry.books(year=day.year - 1):
            if not book.locked:
                self.app.registry.lock(book.kind, book.year)
                self.made.books_locked += 1


def generate(
    out: Path,
    items: int,
    passphrase: str,
    *,
    years: int | None = None,
    seed: int = SEED,
    params: kdf.KdfParams | None = None,
    progress: bool = False,
) -> Made:
    years = years or years_for(items)
    days = working_days(date(LAST_DAY.year - years + 1, 1, 2), LAST_DAY)
    clock = FixedClock(datetime.combine(days[0], datetime.min.time(), tzinfo=UTC))
    started = time.perf_counter()
    app, _code = app_module.create(
        out,
        UNIT,
        "admin",
        passphrase,
        admin_full_name="Nguyễn Thị Văn Thư",
        params=params or app_module.new_vault_kdf_params(),
        clock=clock,
    )
    with app:
        app.vault.connection.execute("PRAGMA synchronous = OFF")  # this connection only
        approver = app.users.add(
            "giamdoc",
            Role.APPROVER,
            passphrase,
            full_name="Phạm Văn Hùng",
            max_level=Level.TUYET_MAT,
        )
        gen = Generator(app, clock, random.Random(seed), approver)
        base, extra = divmod(items, len(days))
        for index, day in enumerate(days):
            gen.day(day, base + (1 if index < extra else 0))
            if progress and index % 100 == 0:
                print(f"{day} {gen.made.items} items", file=sys.stderr, flush=True)
        gen.at(LAST_DAY, 9)
        gen.receipts_and_returns(LAST_DAY)
        app.vault.connection.execute("PRAGMA optimize")
    made = gen.made
    made.first_day, made.last_day = days[0].isoformat(), days[-1].isoformat()
    made.seconds = round(time.perf_counter() - started, 1)
    made.items_per_second = round(made.items / made.seconds, 1)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--passphrase", required=True)
    parser.add_argument("--years", type=int, default=None)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--fast-kdf",
        action="store_true",
        help="cheap Argon2id (test parameters) instead of calibrating to this computer",
    )
    parser.add_argument("--progress", action="store_true")
    args = parser.parse_args(argv)
    made = generate(
        args.out,
        args.items,
        args.passphrase,
        years=args.years,
        seed=args.seed,
        params=kdf.TEST_PARAMS if args.fast_kdf else None,
        progress=args.progress,
    )
    print(json.dumps({"name": "generate", "out": str(args.out), **asdict(made)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
