"""Render a register of 10,000 and of 100,000 entries; the cost must grow linearly.

Run: ``python tests/benchmarks/bench_register.py`` (not part of the test run). Prints JSON
``{"rows_10k_s": ..., "rows_100k_s": ..., "ratio": ..., ...}`` (wall-clock seconds; the ratio
is of CPU seconds, which other work on the machine disturbs less) and exits 1 when the ratio
exceeds 12: ten times the rows may cost at most twelve times the time.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, date, datetime

from secretdesk.domain.levels import Level
from secretdesk.reports.fonts import register_fonts
from secretdesk.reports.model import (
    ChainHead,
    PrintStamp,
    RegisterData,
    RegisterEntry,
    RegisterKind,
    UnitHeader,
)
from secretdesk.reports.registers import render_register

MAX_RATIO = 12.0
UNIT = UnitHeader(
    "Ủy ban nhân dân tỉnh Quảng Ngãi", "Sở Tư pháp tỉnh Quảng Ngãi", "STP", "Quảng Ngãi"
)
STAMP = PrintStamp(
    datetime(2025, 12, 1, 8, 0, tzinfo=UTC), "Nguyễn Thị Hường", ChainHead(1, "0" * 64)
)
SUMMARIES = (
    "Quyết định về việc kiện toàn Đội bảo vệ bí mật nhà nước",
    "Báo cáo kết quả tự kiểm tra công tác bảo vệ bí mật nhà nước",
    "Công văn về việc triển khai kế hoạch năm",
    "Thông báo kết luận cuộc họp giao ban tháng",
)
LEVELS = (Level.MAT, Level.TOI_MAT, Level.TUYET_MAT)


def register(rows: int) -> RegisterData:
    entries = tuple(
        RegisterEntry(
            {
                "number": str(n),
                "doc_date": f"{n % 28 + 1:02d}/{n % 12 + 1:02d}/2025",
                "number_symbol": f"{n}/QĐ-STP",
                "summary": SUMMARIES[n % 4],
                "signer": "Trần Văn Đức",
                "recipients": "Công an tỉnh Quảng Ngãi",
                "copies": str(n % 5 + 1),
                "note": "Hỏa tốc" if n % 9 == 0 else "",
            },
            level=LEVELS[n % 3],
            cancelled=n % 97 == 0,
        )
        for n in range(1, rows + 1)
    )
    return RegisterData(
        RegisterKind.OUTGOING, UNIT, 2025, 1, date(2025, 1, 2), None, 1, rows, entries
    )


def timed(rows: int) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of one rendering, and the size of the PDF."""
    data = register(rows)
    fonts = register_fonts("shipped")
    wall, cpu = time.perf_counter(), time.process_time()
    pdf = render_register(data, None, STAMP, fonts=fonts)
    return time.perf_counter() - wall, time.process_time() - cpu, len(pdf)


def main() -> int:
    timed(200)  # warm up: fonts, layouts, imports
    small, small_cpu, small_bytes = timed(10_000)
    large, large_cpu, large_bytes = timed(100_000)
    # the ratio is taken on CPU time: other work on a shared machine inflates wall time
    ratio = large_cpu / small_cpu
    result = {
        "rows_10k_s": round(small, 2),
        "rows_100k_s": round(large, 2),
        "ratio": round(ratio, 2),
        "rows_10k_cpu_s": round(small_cpu, 2),
        "rows_100k_cpu_s": round(large_cpu, 2),
        "wall_ratio": round(large / small, 2),
        "pdf_10k_bytes": small_bytes,
        "pdf_100k_bytes": large_bytes,
    }
    print(json.dumps(result))
    return 0 if ratio <= MAX_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
