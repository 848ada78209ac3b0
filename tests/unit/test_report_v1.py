"""report.json's types (services/report_v1.py) say what its schema says: the same keys, the
same required ones; the header ``build_report`` makes follows the schema, and what was
encoded is read back whole."""

from __future__ import annotations

from typing import Any

from secretdesk.services.report_v1 import (
    ChainHeadPart,
    ReportV1,
    TreePart,
    TreeProof,
    UnitPart,
    build_report,
    encode_report,
    parse_report_json,
    report_schema,
    schema_errors,
    stored_report,
)

FINGERPRINT = " ".join(["ABCD"] * 16)
HASH = "ab" * 32


def keys(typed: type) -> tuple[set[str], set[str]]:
    """(every key, the required keys) of a TypedDict declared in a module with postponed
    annotations, where ``__required_keys__`` cannot see NotRequired."""
    annotations: dict[str, Any] = typed.__annotations__
    text = {k: getattr(v, "__forward_arg__", v) for k, v in annotations.items()}
    optional = {k for k, v in text.items() if str(v).startswith("NotRequired[")}
    return set(annotations), set(annotations) - optional


def declared(schema: dict[str, Any]) -> tuple[set[str], set[str]]:
    return set(schema["properties"]), set(schema["required"])


def test_the_types_have_the_keys_of_the_schema() -> None:
    schema = report_schema()
    defs = schema["$defs"]
    assert keys(ReportV1) == declared(schema)
    assert keys(UnitPart) == declared(schema["properties"]["unit"])
    assert keys(ChainHeadPart) == declared(defs["chainHead"])
    assert keys(TreePart) == declared(defs["treeHead"])
    assert keys(TreeProof) == declared(defs["treeHead"]["properties"]["consistency"]["items"])


def test_a_built_report_follows_the_schema_and_reads_back() -> None:
    unit: UnitPart = {
        "code": "STP-QNG",
        "name": "Sở Tư pháp tỉnh Quảng Ngãi",
        "superior_body": "Ủy ban nhân dân tỉnh Quảng Ngãi",
        "key_fingerprint": FINGERPRINT,
    }
    tree: TreePart = {"size": 3, "root": HASH, "consistency": []}
    report = build_report(
        unit, "audit", "2026", 7, "2026-11-02T03:30:00Z", {"seq": 3, "hash": HASH}, tree
    )
    assert schema_errors(report) == ["/: 'audit' is a required property"]
    report["audit"] = {"events": []}
    assert schema_errors(report) == []
    data = encode_report(report)
    assert parse_report_json(data) == report
    assert stored_report(data.decode("utf-8")) == report
