"""Time the supervising office importing 500 packages from 50 units; print JSON.

    python -m tests.benchmarks.bench_office_import [--units 50] [--packages 10] [--no-cli]

Generation (not timed as part of the import): 50 real unit vaults with cheap key derivation,
each registering a few items and a dispatch, then exporting 10 packages (annual and audit
reports alternately) into one folder, as if copied from many sticks. Timed: pinning the 50
keys, ``OfficeService.import_packages`` of all 500 folders in one call, and the same import
through the real CLI (``secretdesk office import DIR``) into a second office vault.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from secretdesk import app as app_module
from secretdesk.crypto.kdf import TEST_PARAMS
from secretdesk.domain.items import Direction, Registration
from secretdesk.domain.levels import Level
from secretdesk.services.office import find_packages
from secretdesk.services.setup import UnitSetup
from secretdesk.storage import items
from tests.helpers import PASSPHRASE, fixed_clock, run_cli


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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--packages", type=int, default=10, help="packages per unit")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI import")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-office-") as tmp:
        base = Path(tmp)
        out = base / "stick"
        out.mkdir()
        started = time.perf_counter()
        keys = [make_unit(base, n, out, args.packages) for n in range(1, args.units + 1)]
        generated = time.perf_counter() - started
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
            started = time.perf_counter()
            outcomes = office.office.import_packages(folders)
            imported = time.perf_counter() - started
            started = time.perf_counter()
            summary = office.office.summary("2026")
            summarised = time.perf_counter() - started
            started = time.perf_counter()
            discrepancies = office.office.reconcile("2026")
            reconciled = time.perf_counter() - started

        cli_seconds = None
        if not args.no_cli:
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
    print(
        json.dumps(
            {
                "benchmark": "office_import",
                "units": args.units,
                "packages": len(folders),
                "accepted": accepted,
                "generate_seconds": round(generated, 2),
                "trust_seconds": round(trusted, 3),
                "import_seconds": round(imported, 3),
                "import_ms_per_package": round(1000 * imported / max(1, len(folders)), 2),
                "cli_import_seconds": None if cli_seconds is None else round(cli_seconds, 3),
                "summary_seconds": round(summarised, 3),
                "summary_units": len(summary.units),
                "reconcile_seconds": round(reconciled, 3),
                "discrepancies": len(discrepancies),
                "python": platform.python_version(),
                "machine": platform.machine(),
            },
            indent=2,
        )
    )
    if accepted != len(folders):
        raise SystemExit("not every package was accepted")


if __name__ == "__main__":
    main()
