"""What a signed export package may hold (``export --kind``): one spelling everywhere."""

from __future__ import annotations

EXPORT_KINDS = ("annual", "inventory", "registers", "audit")
