"""Timed scenarios of issue 16 at a given scale; each prints one JSON line.

Run: ``python tests/benchmarks/run.py --scale N [--vault DIR] [--only NAME ...]`` (not part
of the test run). Without ``--vault`` a vault of N items is generated first
(tests/benchmarks/generate.py, cheap key derivation); with it, DIR must be such a vault
(user ``admin``, passphrase ``--passphrase``). Each line has ``name``, ``scale``, ``figure``,
``unit``, ``target``, ``met`` and, where the target is a ratio against a baseline measured in
the same run, ``ratio`` and ``baseline``. Figures are wall-clock on a shared machine: the
median of several runs where a scenario is cheap enough to repeat.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from secretdesk import app as app_module
from secretdesk.app import App
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.domain.roles import Permission
from secretdesk.services.registry import legal_bases
from secretdesk.storage import audit, items, legal, migrations, registry
from secretdesk.storage.sqlite import connect
from secretdesk.storage.vault import CACHE_KIB, _connect
from secretdesk.system.clock import FixedClock
from tests.benchmarks import generate

PASSPHRASE = "benchmark passphrase"
ROOT = Path(__file__).resolve().parents[2]
SCALE = 0


def emit(
    name: str,
    figure: float,
    unit: str,
    target: float | None,
    *,
    ratio: float | None = None,
    baseline: float | None = None,
    higher_is_better: bool = False,
    **extra: Any,
) -> None:
    compared = ratio if ratio is not None else figure
    met = None
    if target is not None:
        met = compared >= target if higher_is_better else compared <= target
    line: dict[str, Any] = {
        "name": name,
        "scale": SCALE,
        "figure": round(figure, 3),
        "unit": unit,
        "target": target,
        "met": met,
    }
    if ratio is not None:
        line["ratio"] = round(ratio, 3)
        line["baseline"] = round(baseline or 0.0, 3)
    line.update(extra)
    line["load"] = round(os.getloadavg()[0], 1)  # the machine's 1-minute load average
    print(json.dumps(line, ensure_ascii=False), flush=True)


LAST_CPU = 0.0  # CPU seconds (every thread of this process) of the last ``timed`` median


def timed(action: Callable[[], object], repeat: int = 1) -> float:
    """Median wall-clock seconds of ``repeat`` runs (their CPU seconds in ``LAST_CPU``: on a
    shared machine the wall clock also counts the time other jobs held the cores)."""
    global LAST_CPU
    times, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        action()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    LAST_CPU = statistics.median(cpu)
    return statistics.median(times)


def cpu() -> float:
    return round(LAST_CPU, 3)


def open_app(vault: Path) -> App:
    clock = FixedClock(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))
    return app_module.unlock(vault, "admin", PASSPHRASE, clock)


# -- the store -------------------------------------------------------------------------------
def _registration(rng: random.Random, n: int, day: date) -> Registration:
    words = generate.INCOMING_SUMMARIES
    return Registration(
        direction=Direction.INCOMING,
        level=rng.choice((Level.MAT, Level.TOI_MAT)),
        number_symbol=f"{n}/UBND-VP",
        doc_date=day,
        copies=2,
        doc_type="Công văn",
        issuer="Ủy ban nhân dân tỉnh Quảng Ngãi",
        summary=rng.choice(words),
        recipients="Giám đốc Sở",
        storage_location="Kho",
    )


def _store_workload(conn: Any, count: int) -> dict[str, float]:
    """Bulk import, first page, search, 1,000 small audited transactions, on a raw connection
    with the program's schema (the storage layer, no services)."""
    for module in migrations.MIGRATIONS:
        for statement in module.STATEMENTS:
            conn.execute(statement)
    conn.execute("BEGIN")
    legal.sync(conn, legal_bases())
    book = registry.open_book(conn, "incoming", 2026, legal_bases()[-1].code, "2026-03-02")
    conn.execute("COMMIT")
    rng = random.Random(16)
    day = date(2026, 3, 2)
    regs = [_registration(rng, n, day).normalised() for n in range(count)]
    at = "2026-03-02T02:00:00+00:00"

    def insert(reg: Registration) -> None:
        entry = registry.add_entry(conn, book, created_at=at, created_by="admin")
        item_id = items.insert_item(
            conn, reg, entry_id=entry.id, legal_basis=book.legal_basis,
            classified_on=reg.doc_date.isoformat(), created_at=at,
        )  # fmt: skip
        for number in (1, 2):
            items.insert_copy(
                conn, item_id=item_id, kind="original", number=number,
                custody=items.Custody(items.CopyState.IN_STORAGE, "Kho"), created_at=at,
                actor="admin",
            )  # fmt: skip
        audit.append(conn, at_utc=at, actor="admin", action="item.registered", entity="item",
                     entity_id=item_id, detail={"n": reg.number_symbol})  # fmt: skip

    def bulk() -> None:
        for start in range(0, count, 500):
            conn.execute("BEGIN")
            for reg in regs[start : start + 500]:
                insert(reg)
            conn.execute("COMMIT")

    def small() -> None:
        for reg in regs[:1000]:
            conn.execute("BEGIN IMMEDIATE")
            audit.append(conn, at_utc=at, actor="admin", action="item.viewed", entity="item",
                         entity_id=1, detail={"n": reg.number_symbol})  # fmt: skip
            conn.execute("COMMIT")

    return {
        "bulk": timed(bulk),
        "first_page": timed(lambda: items.list_items(conn, limit=200), 5),
        "search": timed(lambda: items.list_items(conn, folded_words=["dac", "xa"]), 5),
        "small": timed(small),
    }


def scenario_encrypted_vs_plain(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        enc_conn = _connect(Path(tmp) / "enc.db", os.urandom(32), new=True)
        enc = _store_workload(enc_conn, count)
        enc_conn.close()
        plain_conn = connect(str(Path(tmp) / "plain.db"))
        for pragma in ("temp_store = MEMORY", "journal_mode = WAL", "synchronous = FULL",
                       "foreign_keys = ON", "secure_delete = ON",
                       f"cache_size = -{CACHE_KIB}"):  # fmt: skip
            plain_conn.execute(f"PRAGMA {pragma}")
        plain = _store_workload(plain_conn, count)
        plain_conn.close()
    for step in enc:
        emit(f"store_{step}_encrypted_vs_plain", enc[step] * 1000, "ms", 1.2,
             ratio=enc[step] / plain[step], baseline=plain[step] * 1000, items=count)  # fmt: skip


def scenario_bulk_services(count: int) -> None:
    """Registering through the services (register_many, one transaction) against raw SQL."""
    with tempfile.TemporaryDirectory() as tmp:
        clock = FixedClock(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
        app, _code = app_module.create(
            Path(tmp) / "svc", generate.UNIT, "admin", PASSPHRASE, params=TEST_PARAMS, clock=clock
        )
        rng = random.Random(16)
        regs = [_registration(rng, n, date(2026, 3, 2)) for n in range(count)]
        with app:

            def services() -> None:
                for start in range(0, count, 500):
                    with app.ctx.change(Permission.RECORD) as change:
                        for reg in regs[start : start + 500]:
                            app.items.register_in(change, reg)

            svc = timed(services)
            svc_cpu = LAST_CPU
        raw_conn = _connect(Path(tmp) / "raw.db", os.urandom(32), new=True)
        raw = _store_workload(raw_conn, count)["bulk"]
        raw_conn.close()
    emit("services_bulk_register_rate", count / svc, "items/s", 2000, higher_is_better=True,
         items=count, items_per_cpu_s=round(count / svc_cpu, 1))  # fmt: skip
    emit("services_vs_raw_sql", svc * 1000, "ms", 1.5, ratio=svc / raw, baseline=raw * 1000,
         items=count)  # fmt: skip


# -- the registers ---------------------------------------------------------------------------
FILTERS: list[tuple[str, dict[str, Any]]] = [
    ("all", {}),
    ("incoming", {"kind": "incoming"}),
    ("outgoing", {"kind": "outgoing"}),
    ("internal", {"kind": "internal"}),
    ("year", {"year": 2025}),
    ("tuyet_mat", {"level": Level.TUYET_MAT}),
    ("outgoing_year_toi_mat", {"kind": "outgoing", "year": 2024, "level": Level.TOI_MAT}),
]


def scenario_first_pages(app: App) -> None:
    for name, filters in FILTERS:
        seconds = timed(lambda f=filters: app.items.search(limit=200, **f), 5)  # type: ignore[misc]
        emit(f"first_page_{name}", seconds * 1000, "ms", 20)
    deep: list[Any] = []
    after = None
    for _ in range(50):  # fifty pages down, each from the last row of the one before
        page = app.items.search(limit=200, after=after)
        if len(page) < 200:
            break
        after = page[-1]
        deep.append(timed(lambda a=after: app.items.search(limit=200, after=a)))  # type: ignore[misc]
    if deep:
        emit("next_page_keyset_median_of_50", statistics.median(deep) * 1000, "ms", 20,
             pages=len(deep), slowest_ms=round(max(deep) * 1000, 1))  # fmt: skip


def _queries(app: App, rng: random.Random) -> list[str]:
    """100 queries: common words, rare number-symbols, short words, and no match at all."""
    common = ["ke hoach", "bao cao", "bi mat nha nuoc", "cong van", "toi mat", "tu phap",
              "quyet dinh", "an ninh", "ubnd", "tuyet mat"]  # fmt: skip
    conn = app.ctx.read()
    top = int(conn.execute("SELECT max(id) FROM item").fetchone()[0])
    rare = []
    for _ in range(40):
        row = conn.execute("SELECT number_symbol FROM item WHERE id = ?",
                           (rng.randint(1, top),)).fetchone()  # fmt: skip
        rare.append(str(row[0]).lower())
    short = ["an", "ke", "qu", "b", "to", "ubnd ke", "so 1", "tu ph", "vp", "mat",
             "d", "ca", "ng", "hu", "ti", "ba", "ch", "th", "ph", "gi"]  # fmt: skip
    none = [f"khong co {w}" for w in ("xyzq", "zzzz", "qqqq")] + ["qxz", "wwwzz", "kqkq hoach",
            "tuyet mat xyzzy", "0000/zz", "ngu hanh son xyz", "jjj"]  # fmt: skip
    queries = common * 3 + rare + short + none
    return queries[:100]


def scenario_search(app: App) -> None:
    rng = random.Random(16)
    queries = _queries(app, rng)
    times = []
    for query in queries:
        times.append(timed(lambda q=query: app.items.search(q, limit=200)) * 1000)  # type: ignore[misc]
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    emit("search_p50", p50, "ms", None, queries=len(times))
    emit("search_p95", p95, "ms", 50, queries=len(times), worst=round(times[-1], 1))


def scenario_gui_search(app: App) -> None:
    """The registers page's query and model, from the typed text to the rows set."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from secretdesk.gui.models.items_model import ItemsTableModel
    from secretdesk.gui.views.registers_page import Query

    qt = QApplication.instance() or QApplication([])
    model = ItemsTableModel()
    times = []
    for text in _queries(app, random.Random(16)):
        started = time.perf_counter()
        model.set_rows(Query(text=text).page(app.items))
        for row in range(min(40, model.rowCount())):  # the rows a window shows
            for column in range(model.columnCount()):
                model.data(model.index(row, column))
        qt.processEvents()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    emit("gui_search_p95", times[94], "ms", 50, p50=round(statistics.median(times), 1))


def scenario_print_register(app: App) -> None:
    conn = app.ctx.read()
    kind, year, count = conn.execute(
        "SELECT kind, year, count(*) AS n FROM entry WHERE kind IN ('incoming', 'outgoing')"
        " GROUP BY kind, year ORDER BY abs(n - 10000) LIMIT 1"
    ).fetchone()
    seconds = timed(lambda: app.printing.register(kind, year))
    emit("register_pdf_service", seconds, "s", register_pdf_target(count), entries=count,
         register=f"{kind} {year}", cpu_s=cpu())  # fmt: skip


def register_pdf_target(entries: int) -> float:
    """Issue 16: 10,000 entries within 3 s, 100,000 within 11 times that; a register between
    the two within the straight line joining them, a smaller one within the 3 s."""
    if entries <= 10_000:
        return 3.0
    return round(3.0 + (entries - 10_000) * (33.0 - 3.0) / 90_000, 2)


def scenario_annual_export(app: App) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        seconds = timed(
            lambda: app.exports.export("annual", "2025", Path(tmp), explicitly_chosen_folder=True)
        )
    emit("annual_export_signed_written_read_back", seconds, "s", 4.0 if SCALE <= 100_000 else None,
         cpu_s=cpu())  # fmt: skip


def scenario_verification(app: App, vault: Path) -> None:
    verified = app.audit.verify()
    emit("audit_verify", timed(app.audit.verify), "s", 3.0, cpu_s=cpu(), events=verified.events,
         ok=verified.ok)  # fmt: skip
    reports = []
    report_seconds = timed(lambda: reports.append(app.maintenance.self_test()))
    steps = {check.name: round(check.seconds, 3) for check in reports[-1].checks}
    emit("self_test", report_seconds, "s", 10.0, cpu_s=cpu(), ok=reports[-1].ok,
         steps=steps, db_mib=round((vault / "secretdesk.db").stat().st_size / 2**20))  # fmt: skip
    # The whole unlock with the cheap test key derivation: an upper bound of the time from
    # the derived key to a usable vault (the target), which it includes.
    key_open = timed(lambda: open_app(vault).close(), 3)
    emit("unlock_total_with_test_kdf", key_open * 1000, "ms", 20)


CHILD_CPU: list[float] = []  # CPU seconds (user + system) of each ``_run``


def _run(args: list[str], env: dict[str, str] | None = None) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CHILD_CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def _median_cpu(runs: int) -> float:
    """The median CPU seconds of the last ``runs`` processes."""
    return statistics.median(CHILD_CPU[-runs:])


def scenario_start_up(vault: Path) -> None:
    python = sys.executable
    bare = statistics.median(_run([python, "-c", "pass"]) for _ in range(5))
    bare_cpu = _median_cpu(5)
    version = statistics.median(_run([python, "-m", "secretdesk", "--version"]) for _ in range(5))
    emit("version_vs_bare_python", version * 1000, "ms", 5.0, ratio=version / bare,
         baseline=bare * 1000, cpu_ratio=round(_median_cpu(5) / bare_cpu, 3))  # fmt: skip
    env = {**os.environ, "SECRETDESK_PASSPHRASE": PASSPHRASE}
    started = time.perf_counter()
    listing = subprocess.run(
        [python, "-c", PEAK_OF_CLI, "--data-dir", str(vault), "--user", "admin", "item", "list",
         "--limit", "200"], check=True, capture_output=True, text=True, env=env,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    emit("cli_item_list_first_page", seconds * 1000, "ms", None,
         peak_rss_mib=_peak_mib(listing.stderr))  # fmt: skip


# A child's peak memory is its own high-water mark after exec (VmHWM): ``ru_maxrss`` also
# counts the moment between fork and exec, when the child still maps this (large) process.
PEAK_OF_CLI = """
import runpy, sys
sys.argv = ["secretdesk", *sys.argv[1:]]
try:
    runpy.run_module("secretdesk", run_name="__main__", alter_sys=True)
finally:
    with open("/proc/self/status") as status:
        sys.stderr.write(next(line for line in status if line.startswith("VmHWM")))
"""


def _peak_mib(report: str) -> float:
    """The VmHWM line a child wrote (in kB) as MiB."""
    line = next(line for line in report.splitlines() if line.startswith("VmHWM"))
    return round(int(line.split()[1]) / 1024, 1)


BARE_WINDOW = """
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
window = QWidget()
window.show()
app.processEvents()
import os
os._exit(0)
"""
UNLOCK_WINDOW = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
import secretdesk.gui.application
from secretdesk.gui.tasks import TaskRunner
from secretdesk.gui.unlock_window import UnlockWindow
app = QApplication([])
runner = TaskRunner()
window = UnlockWindow(runner, Path(sys.argv[1]), username="admin")
window.show()
app.processEvents()
loaded = [m for m in ("reportlab", "jsonschema", "secretdesk.services.items") if m in sys.modules]
assert not loaded, loaded
import os
os._exit(0)  # shown: the worker (reading the user names) is not waited for
"""


GUI_HOLDING = """
import json, os, sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from secretdesk.gui.controller import GuiController
from secretdesk.gui.main_window import REGISTERS, MainWindow
from secretdesk.gui.preferences import Preferences
from secretdesk.gui.tasks import TaskRunner

app = QApplication([])
def wait(done, seconds=600.0):
    deadline = time.monotonic() + seconds
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.005)
controller = GuiController(app, TaskRunner(), Path(sys.argv[1]),
                           preferences=Preferences(Path(sys.argv[2])), airgap_check=lambda: [])
controller.start()
window = controller.window
window.username.setCurrentText("admin")
window.passphrase.setText(os.environ["SECRETDESK_PASSPHRASE"])
window.unlock_button.click()
wait(lambda: isinstance(controller.window, MainWindow))
main = controller.window
main.show_page(REGISTERS)
model = main.registers.model
wait(lambda: model.rowCount() > 0)
added = []
main.registers.page_added.connect(added.append)
for _ in range(int(sys.argv[3])):  # the clerk scrolls down, a page at a time
    if not model.canFetchMore(model.index(-1, -1)):
        break  # the whole register is shown
    pages = len(added)
    model.fetchMore(model.index(-1, -1))
    wait(lambda: len(added) > pages)
dashboard = main.dashboard
wait(lambda: dashboard.self_test_model.rowCount() > 0)  # the self-test run at unlock
with open("/proc/self/status") as status:  # the high-water mark since exec (see PEAK_OF_CLI)
    peak = int(next(line for line in status if line.startswith("VmHWM")).split()[1])
print(json.dumps({"rows": model.rowCount(), "peak_rss_mib": round(peak / 1024, 1)}))
sys.stdout.flush()
os._exit(0)
"""


def scenario_gui_holding(vault: Path) -> None:
    """Peak memory of the GUI holding the register: unlocked, the registers page shown and
    scrolled through 50 pages, the dashboard's self-test done (a new offscreen process)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SECRETDESK_PASSPHRASE": PASSPHRASE}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", GUI_HOLDING, str(vault), str(Path(tmp) / "gui.ini"), "50"],
            check=True, capture_output=True, text=True, env=env,
        )  # fmt: skip
        seconds = time.perf_counter() - started
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    emit("gui_registers_peak_rss", shown["peak_rss_mib"], "MiB", None, rows=shown["rows"],
         seconds=round(seconds, 1))  # fmt: skip


def scenario_gui_start(vault: Path) -> None:
    """The unlock window (what ``run_gui`` imports, then the window shown) against a bare
    PySide6 window, each in a new offscreen process."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    python = sys.executable
    bare = statistics.median(_run([python, "-c", BARE_WINDOW], env) for _ in range(5))
    bare_cpu = _median_cpu(5)
    unlock = statistics.median(
        _run([python, "-c", UNLOCK_WINDOW, str(vault)], env) for _ in range(5)
    )
    emit("gui_unlock_window_vs_bare_pyside6", unlock * 1000, "ms", 1.5, ratio=unlock / bare,
         baseline=bare * 1000, cpu_ratio=round(_median_cpu(5) / bare_cpu, 3))  # fmt: skip


SCENARIOS = ("store", "bulk", "pages", "search", "gui", "print", "export", "verify", "start")


def main(argv: list[str] | None = None) -> int:
    global SCALE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--vault", type=Path)
    parser.add_argument("--passphrase", default=PASSPHRASE)
    parser.add_argument("--only", nargs="*", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--store-items", type=int, default=20_000)
    args = parser.parse_args(argv)
    SCALE = args.scale
    tmp = None
    vault = args.vault
    if vault is None:
        tmp = tempfile.TemporaryDirectory()
        vault = Path(tmp.name) / "vault"
        made = generate.generate(vault, args.scale, PASSPHRASE, params=TEST_PARAMS)
        emit("generate", made.seconds, "s", None, items=made.items, copies=made.copies,
             handovers=made.handovers)  # fmt: skip
    only = set(args.only)
    if "store" in only:
        scenario_encrypted_vs_plain(min(args.store_items, max(args.scale, 2000)))
    if "bulk" in only:
        scenario_bulk_services(min(args.store_items, max(args.scale, 2000)))
    if only & {"pages", "search", "gui", "print", "export", "verify"}:
        with open_app(vault) as app:
            if "pages" in only:
                scenario_first_pages(app)
            if "search" in only:
                scenario_search(app)
            if "gui" in only:
                scenario_gui_search(app)
            if "print" in only:
                scenario_print_register(app)
            if "export" in only:
                scenario_annual_export(app)
            if "verify" in only:
                scenario_verification(app, vault)
    if "start" in only:
        scenario_start_up(vault)
        scenario_gui_start(vault)
        scenario_gui_holding(vault)
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
