"""Register pages through indexes (keyset pagination) and search through the full-text index."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission
from tests.helpers import fixed_clock, new_app

SUMMARIES = ("Kế hoạch phòng chống thiên tai", "Báo cáo công tác đặc xá", "Tờ trình về an ninh")


def _registration(direction: Direction, n: int, day: date) -> Registration:
    return Registration(
        direction=direction,
        level=(Level.MAT, Level.TOI_MAT)[n % 2],
        number_symbol=f"{n}/UBND-VP",
        doc_date=day,
        copies=1,
        doc_type="Công văn",
        issuer="Ủy ban nhân dân tỉnh",
        summary=SUMMARIES[n % 3],
    )


def _vault(tmp_path: Path):  # two years, three registers
    clock = fixed_clock(2025, 11, 3)
    app, _code = new_app(tmp_path / "v", clock)
    n = 0
    for _year in range(2):
        day = clock.now().date()
        for direction in (Direction.INCOMING, Direction.OUTGOING, Direction.INTERNAL):
            for _ in range(4):
                n += 1
                app.items.register(_registration(direction, n, day))
        clock.advance(days=365)
    return app


def _pages(search, size: int, **filters) -> list[int]:
    rows, after = [], None
    while True:
        page = search(limit=size, after=after, **filters)
        rows.extend(r.id for r in page)
        if len(page) < size:
            return rows
        after = page[-1]


def test_keyset_pages_follow_the_register_order_in_every_filter(tmp_path: Path) -> None:
    app = _vault(tmp_path)
    everything = app.items.search(limit=1000)
    ids = [r.id for r in everything]  # across the registers: the newest registered first
    assert ids == sorted(ids, reverse=True) and len(everything) == 24
    one_register = app.items.search(limit=1000, kind="outgoing")
    keys = [(-r.year, -r.number) for r in one_register]
    assert keys == sorted(keys) and {r.book_kind for r in one_register} == {"outgoing"}
    for filters in ({}, {"kind": "incoming"}, {"year": 2026}, {"level": Level.TOI_MAT}):
        whole = [r.id for r in app.items.search(limit=1000, **filters)]
        assert whole and _pages(app.items.search, 5, **filters) == whole
    text_pages = _pages(lambda **kw: app.items.search("ke hoach", **kw), 3)
    assert text_pages == sorted(text_pages, reverse=True) and len(text_pages) == 8


def test_search_is_accent_free_by_substring_or_word_prefix(tmp_path: Path) -> None:
    app = _vault(tmp_path)
    assert len(app.items.search("DAC XA")) == 8  # substring, accents and case folded
    assert len(app.items.search("hoạch")) == 8
    assert len(app.items.search("ac tac")) == 8  # "ac" is short: checked inside the text
    assert len(app.items.search("da xa")) == 8  # only short words: each starts a word
    assert app.items.search("ac xa") == []  # "ac" starts no word
    assert app.items.search("an ninh", kind="outgoing", year=2026)[0].book_kind == "outgoing"
    assert app.items.search("khong co dau nay") == []
    assert app.items.search("zz") == []
    assert app.items.search("10_") == [] and app.items.search("%") == []


def test_search_follows_a_level_change(tmp_path: Path) -> None:
    app = _vault(tmp_path)
    item = app.items.search("1/UBND")[-1]
    assert item.level is Level.TOI_MAT
    app.classification.change_level(
        item.id, Level.MAT, decided_on=date(2026, 11, 3) - timedelta(days=1), decided_by="GĐ"
    )
    assert item.id not in {r.id for r in app.items.search("toi mat")}
    assert item.id in {r.id for r in app.items.search("1/ubnd-vp mat")}


def _vm_steps(app, action) -> int:
    """How many SQLite virtual-machine steps ``action`` took (in hundreds): what a query
    reads, independent of the machine's speed."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    conn = app.ctx.read()
    conn.set_progress_handler(count, 100)
    try:
        action()
    finally:
        conn.set_progress_handler(None, 100)
    return steps[0]


def test_a_year_across_the_registers_reads_only_that_year(tmp_path: Path) -> None:
    clock = fixed_clock(2025, 11, 3)
    app, _code = new_app(tmp_path / "v", clock)
    earlier = []
    for n in range(6):  # entries of other books (drafts) between the items
        earlier.append(app.items.register(_registration(Direction.INCOMING, n, clock.now().date())))
        app.drafts.add(f"Dự thảo {n}", Level.MAT)
        earlier.append(app.items.register(_registration(Direction.OUTGOING, n, clock.now().date())))
    clock.advance(days=365)
    first_page = lambda: app.items.search(limit=4, year=2025)  # noqa: E731
    before = _vm_steps(app, first_page)
    with app.ctx.change(Permission.RECORD) as change:  # a busy later year
        for n in range(400):
            app.items.register_in(change, _registration(Direction.INTERNAL, n, clock.now().date()))

    whole = app.items.search(limit=1000)
    in_2025 = [r.id for r in whole if r.year == 2025]
    assert in_2025 == [r.id for r in reversed(earlier)]
    assert [r.id for r in first_page()] == in_2025[:4]
    assert _pages(app.items.search, 5, year=2025) == in_2025
    # The first page of 2025 does not walk back through the 400 items of 2026.
    assert _vm_steps(app, first_page) <= before * 1.2 + 2
