"""The GUI-thread collector keeps what the loaded modules hold out of full collections: once
new modules were loaded it freezes the objects alive (``gc.freeze``), so a full collection on
the GUI thread walks only what the session made since (the longest stall of an export or an
office import was a full collection over ~60,000 module objects); stopping it unfreezes."""

from __future__ import annotations

import gc
import sys
import types
from typing import Any

from secretdesk.gui.tasks import MainThreadCollector


def test_new_modules_are_frozen_out_of_full_collections(qapp: Any) -> None:
    was_enabled = gc.isenabled()
    collector = MainThreadCollector()
    try:
        collector.check()
        assert collector.freezes == 1 and gc.get_freeze_count() > 1000
        frozen = gc.get_freeze_count()
        collector.check()
        assert collector.freezes == 1  # no module loaded since: nothing more to freeze
        young = [[n] for n in range(500)]  # made by the session after the freeze
        sys.modules["secretdesk_test_loaded_late"] = types.ModuleType("loaded_late")
        try:
            collector.check()
            assert collector.freezes == 2 and gc.get_freeze_count() >= frozen + len(young)
        finally:
            del sys.modules["secretdesk_test_loaded_late"]
        assert len(gc.get_objects(generation=2)) < gc.get_freeze_count()
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0 and gc.isenabled() == was_enabled
