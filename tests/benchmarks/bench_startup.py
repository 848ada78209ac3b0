"""Start-up of the ``secretdesk`` command (issues 9 and 16); one JSON line per figure.

Run: ``python tests/benchmarks/bench_startup.py [--repeat N]`` (not part of the test run).
Every figure is the median of N (default 5) real process starts, measured in one run and
interleaved with its baseline, so a busy machine slows both alike:

- ``help_vs_import_argparse``: ``secretdesk --help`` (Vietnamese, the default language)
  against a bare ``python -c "import argparse"``; target at most 10 times (issue 9).
- ``help_en_vs_import_argparse``: the same in English (no catalogue to read).
- ``version_vs_bare_python``: ``secretdesk --version`` against ``python -c pass``; target at
  most 5 times (issue 16).
- ``command_help_vs_import_argparse``: ``secretdesk audit --help``, which imports its one
  command module (no target: for comparison).

Each line has ``name``, ``figure`` (ms), ``unit``, ``target``, ``met``, ``ratio`` and
``baseline`` (ms).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _seconds(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return time.perf_counter() - started


def emit(name: str, figure: float, baseline: float, target: float | None) -> None:
    ratio = figure / baseline
    line = {
        "name": name,
        "figure": round(figure * 1000, 1),
        "unit": "ms",
        "target": target,
        "met": None if target is None else ratio <= target,
        "ratio": round(ratio, 2),
        "baseline": round(baseline * 1000, 1),
    }
    print(json.dumps(line, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    runs = {
        "bare": ["-c", "pass"],
        "argparse": ["-c", "import argparse"],
        "help": ["-m", "secretdesk", "--lang", "vi", "--help"],
        "help_en": ["-m", "secretdesk", "--lang", "en", "--help"],
        "version": ["-m", "secretdesk", "--version"],
        "command_help": ["-m", "secretdesk", "--lang", "vi", "audit", "--help"],
    }
    for args in runs.values():  # warm the file cache and the compiled bytecode
        _seconds(args)
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, args in runs.items():
            times[name].append(_seconds(args))
    median = {name: statistics.median(values) for name, values in times.items()}
    emit("help_vs_import_argparse", median["help"], median["argparse"], 10.0)
    emit("help_en_vs_import_argparse", median["help_en"], median["argparse"], 10.0)
    emit("version_vs_bare_python", median["version"], median["bare"], 5.0)
    emit("command_help_vs_import_argparse", median["command_help"], median["argparse"], None)


if __name__ == "__main__":
    main()
