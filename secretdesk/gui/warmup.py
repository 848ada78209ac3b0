"""Extension modules whose start holds the interpreter lock for tens of milliseconds.

A module imported on the worker stalls the GUI thread for as long as its initialisation
holds the lock: importing ``jsonschema_rs`` (about 70 ms here) in the middle of the first
export froze the progress dialog 106-125 ms (``bench_gui_stall_office``; 12-15 ms once it
was imported before). They are imported on the GUI thread once the main window is shown and
idle, before any long work can need them."""

from __future__ import annotations

import importlib

HEAVY_MODULES = ("jsonschema_rs",)  # the report check of exports and of the office import
WARM_UP_DELAY_MS = 500  # after the main window and its first pages have been drawn


def warm_up() -> None:
    for name in HEAVY_MODULES:
        importlib.import_module(name)
