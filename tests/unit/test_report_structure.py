"""An export checks its report's structure, one row of each shape (issue 16)."""

from __future__ import annotations

from secretdesk.services.exports import report_structure


def test_rows_of_one_shape_are_checked_once_and_other_shapes_kept() -> None:
    rows = [{"number": f"{n}/2025", "copies": [1, 2]} for n in range(10_000)]
    odd = {"number": 7, "copies": [1]}  # a wrong type must still reach the schema check
    report = {"kind": "annual", "dispatched": [*rows, odd], "received": []}
    cut = report_structure(report)
    assert cut == {
        "kind": "annual",
        "dispatched": [{"number": "0/2025", "copies": [1]}, {"number": 7, "copies": [1]}],
        "received": [],
    }
