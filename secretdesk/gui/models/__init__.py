"""Table models over service results (STYLE.md 4)."""
