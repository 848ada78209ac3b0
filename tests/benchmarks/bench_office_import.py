"""Time the supervising office importing 500 packages from 50 units and 5,000 from 500
units (ten years of a province), then consolidating the year; print JSON lines.

    python -m tests.benchmarks.bench_office_import [--units 50 500] [--packages 10] [--no-cli]
        [--stick DIR]

Generation (not timed as part of the import): 50 real unit vaults with cheap key derivation,
each registering a few items and a dispatch, then exporting 10 packages (annual and audit
reports alternately) into one folder, as if copied from many sticks. Timed: pinning the 50
keys, ``OfficeService.import_packages`` of all 500 folders in one call, and the same import
through the real CLI (``secretdesk office import DIR``) into a second office vault.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from secretdesk import app as app_module
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.services.office import find_packages
from secretdesk.services.setup import UnitSetup
from secretdesk.storage import items
from tests.helpers import PASSPHRASE, fixed_clock, run_cli

# Cost per package at ten times the packages over cost at the smaller size: "flat".
FLAT = 1.25


def make_unit(base: Path, number: int, out: Path, packages: int) -> tuple[str, str]:
    """Create one unit, export its packages; return (unit.pub text, fingerprint)."""
    setup = UnitSetup(f"Đơn vị số {number} tỉnh Quảng Ngãi", f"DV{number:03d}", "UBND tỉnh")
    opened, _code = app_module.create(
        base / f"unit{number:03d}", setup, "admin", PASSPHRASE, params=TEST_PARAMS,
        clock=fixed_clock(),
    )  # fmt: skip
    with opened:
        sent = opened.items.register(
            Registration(
                direction=Direction.OUTGOING,
                level=Level.MAT,
                number_symbol=f"{number}/QĐ-DV{number:03d}",
                doc_date=date(2026, 10, 1),
                copies=2,
            )
        )
        opened.items.register(
            Registration(
                direction=Direction.INCOMING,
                level=Level.TOI_MAT,
                number_symbol=f"{number}/CV-UBND",
                doc_date=date(2026, 9, 1),
                copies=1,
                issuer="Ủy ban nhân dân tỉnh Quảng Ngãi",
            )
        )
        copy = items.copies_of(opened.vault.connection, sent.id)[0]
        opened.handovers.create(
            "dispatch", [copy.id], recipient_body=f"Đơn vị số {number + 1} tỉnh Quảng Ngãi"
        )
        for seq in range(packages):
            kind = "annual" if seq % 2 == 0 else "audit"
            opened.exports.export(kind, "2026", out, explicitly_chosen_folder=True)
        return opened.exports.public_key_text(), opened.unit_info().key_fingerprint


def _stick(
    base: Path, units: int, packages: int, kept: Path | None
) -> tuple[Path, list[tuple[str, str]], float]:
    """The folder of every unit's packages and the units' keys; with ``kept``, made once
    there and reused by later runs (5,000 packages take a while to make)."""
    out = (kept or base) / "stick"
    listing = (kept or base) / "keys.json"
    if kept is not None and listing.exists():
        return out, [tuple(k) for k in json.loads(listing.read_text())], 0.0  # type: ignore[misc]
    out.mkdir(parents=True)
    started = time.perf_counter()
    units_base = base / "units"
    units_base.mkdir()
    keys = [make_unit(units_base, n, out, packages) for n in range(1, units + 1)]
    listing.write_text(json.dumps(keys))
    return out, keys, time.perf_counter() - started


def emit(
    name: str, scale: int, figure: float, unit: str, target: float | None, **extra: Any
) -> None:
    """One JSON line as tests/benchmarks/run.py prints them, with the load average."""
    line = {
        "name": name,
        "scale": scale,
        "figure": round(figure, 3),
        "unit": unit,
        "target": target,
        "met": None if target is None else figure <= target,
        **extra,
        "load": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(line, ensure_ascii=False), flush=True)


def measure(units: int, packages: int, kept: Path | None, cli: bool) -> dict[str, Any]:
    """Import every unit's packages into a new office vault, then consolidate the year."""
    with tempfile.TemporaryDirectory(prefix="bench-office-") as tmp:
        base = Path(tmp)
        out, keys, generated = _stick(base, units, packages, kept)
        folders = find_packages([out])

        office, _code = app_module.create(
            base / "office", UnitSetup("Văn phòng Ban Chỉ đạo", "BCD"), "admin", PASSPHRASE,
            params=TEST_PARAMS, clock=fixed_clock(),
        )  # fmt: skip
        with office:
            started = time.perf_counter()
            for number, (text, fingerprint) in enumerate(keys, start=1):
                office.office.trust(text, fingerprint, code=f"DV{number:03d}")
            trusted = time.perf_counter() - started
            started, cpu = time.perf_counter(), time.process_time()
            outcomes = office.office.import_packages(folders)
            imported = time.perf_counter() - started
            imported_cpu = time.process_time() - cpu
            started, cpu = time.perf_counter(), time.process_time()
            summary = office.office.summary("2026")
            summarised = time.perf_counter() - started
            summarised_cpu = time.process_time() - cpu
            started, cpu = time.perf_counter(), time.process_time()
            discrepancies = office.office.reconcile("2026")
            reconciled = time.perf_counter() - started
            reconciled_cpu = time.process_time() - cpu

        cli_seconds = None
        if cli:
            data = base / "office-cli"
            office2, _code = app_module.create(
                data, UnitSetup("Văn phòng Ban Chỉ đạo", "BCD"), "admin", PASSPHRASE,
                params=TEST_PARAMS, clock=fixed_clock(),
            )  # fmt: skip
            with office2:
                for number, (text, fingerprint) in enumerate(keys, start=1):
                    office2.office.trust(text, fingerprint, code=f"DV{number:03d}")
            env = {"SECRETDESK_PASSPHRASE": PASSPHRASE}
            started = time.perf_counter()
            result = run_cli("--data-dir", str(data), "office", "import", str(out), env=env)
            cli_seconds = time.perf_counter() - started
            if result.returncode != 0:
                sys.stderr.write(result.stderr)
                raise SystemExit("the CLI import failed")

    accepted = sum(1 for o in outcomes if o.accepted)
    if accepted != len(folders):
        raise SystemExit("not every package was accepted")
    count = len(folders)
    emit("office_import", count, imported, "s", None, units=units, cpu_s=round(imported_cpu, 3),
         generate_s=round(generated, 1), trust_s=round(trusted, 3),
         cli_import_s=None if cli_seconds is None else round(cli_seconds, 3))  # fmt: skip
    emit("office_import_per_package", count, 1000 * imported / count, "ms", None,
         cpu_ms=round(1000 * imported_cpu / count, 2))  # fmt: skip
    emit("office_summary", count, summarised, "s", None, cpu_s=round(summarised_cpu, 3),
         units=len(summary.units), per_package_ms=round(1000 * summarised / count, 3))  # fmt: skip
    emit("office_reconcile", count, reconciled, "s", None, cpu_s=round(reconciled_cpu, 3),
         discrepancies=len(discrepancies),
         per_package_ms=round(1000 * reconciled / count, 3))  # fmt: skip
    return {
        "packages": count,
        "cpu_ms_per_package": 1000 * (imported_cpu + summarised_cpu + reconciled_cpu) / count,
        "ms_per_package": 1000 * (imported + summarised + reconciled) / count,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--units", type=int, nargs="+", default=[50, 500], help="one office run per number"
    )
    parser.add_argument("--packages", type=int, default=10, help="packages per unit")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI import")
    parser.add_argument(
        "--stick", type=Path, help="keep each size's packages under this folder and reuse them"
    )
    args = parser.parse_args()
    runs = [
        measure(units, args.packages, args.stick / f"u{units}" if args.stick else None,
                not args.no_cli)
        for units in args.units
    ]  # fmt: skip
    smallest, largest = runs[0], runs[-1]
    if len(runs) > 1:
        # flat: importing and consolidating a package costs the same whatever the office holds
        ratio = largest["cpu_ms_per_package"] / smallest["cpu_ms_per_package"]
        emit("office_cost_per_package_growth", largest["packages"], ratio, "x", FLAT,
             cpu_ms_per_package=round(largest["cpu_ms_per_package"], 3),
             baseline_cpu_ms_per_package=round(smallest["cpu_ms_per_package"], 3),
             baseline_packages=smallest["packages"],
             wall_ms_per_package=round(largest["ms_per_package"], 2),
             baseline_wall_ms_per_package=round(smallest["ms_per_package"], 2),
             python=platform.python_version())  # fmt: skip


if __name__ == "__main__":
    main()
