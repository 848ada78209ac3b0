"""Pure domain model: no I/O, no Qt, no SQL, no crypto (DESIGN.md §1)."""
