"""Scan-back of a batch of signed slips: time per scan and the vault's growth per scan.

Run: ``python -m tests.benchmarks.bench_scan_back [SCANS] [DPI]`` (not part of the test run;
default 200 scans at 150 dpi). Makes a vault with SCANS open dispatches and prints each slip
(services/printing), renders each with pdftoppm, turns it a few degrees and adds noise
(Pillow) as a scanner would return it, then records every receipt from its scan through
``AttachmentService.scan_back`` (code read with zxing-cpp, matched, receipt and scan stored
in one transaction). Prints JSON: seconds per scan (mean, median, max), the scan files' mean
size, and the vault's growth per scan (database and WAL after a checkpoint). Exits 1 when a
scan does not match.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from tests.scan_samples import ScanSet, encoded, render, scanned, slips_vault


def vault_bytes(data_dir: Path) -> int:
    return sum(p.stat().st_size for p in data_dir.iterdir() if p.name.startswith("secretdesk"))


def main(count: int = 200, dpi: int = 150) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        vault = root / "vault"
        started = time.perf_counter()
        pdfs = slips_vault(vault, count)
        scans = []
        for number, pdf in enumerate(pdfs, start=1):
            path = root / f"slip-{number}.pdf"
            path.write_bytes(pdf)
            page = render(path, dpi, root / f"page-{number}")
            scans.append(encoded(scanned(page, (number % 7) - 3, 0.2, number), "PNG"))
        prepared = time.perf_counter() - started
        sample = ScanSet(vault, pdfs, root)
        with sample.open(vault) as opened:
            opened.vault.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            before = vault_bytes(vault)
            times, outcomes = [], []
            for number, data in enumerate(scans, start=1):
                begin = time.perf_counter()
                result = opened.attachments.scan_back(
                    f"slip-{number}.png", data, "Trần Thị Nhận", date(2026, 11, 2)
                )
                times.append(time.perf_counter() - begin)
                outcomes.append(result.outcome.value)
            opened.vault.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            after = vault_bytes(vault)
            ok = opened.audit.verify().ok
        report = {
            "scans": count,
            "dpi": dpi,
            "matched": outcomes.count("matched"),
            "seconds_per_scan_mean": round(statistics.mean(times), 4),
            "seconds_per_scan_median": round(statistics.median(times), 4),
            "seconds_per_scan_max": round(max(times), 4),
            "scan_file_bytes_mean": round(statistics.mean(len(s) for s in scans)),
            "vault_growth_bytes_per_scan": round((after - before) / count),
            "vault_bytes_before": before,
            "vault_bytes_after": after,
            "audit_verified": ok,
            "setup_seconds": round(prepared, 1),
        }
        print(json.dumps(report, indent=2))
        return 0 if report["matched"] == count and ok else 1


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3]]
    sys.exit(main(*arguments))
