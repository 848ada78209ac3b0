"""Every audit action the services write reads as a sentence in both languages (issue 17):
the actions are found in the source (a new ``change.audit("x.y", ...)`` without a sentence
fails here), rendered with the detail keys the service writes, and checked for raw ids,
JSON and unfilled fields."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

import pytest

from secretdesk import i18n
from secretdesk.domain.attachments import EvidenceOf
from secretdesk.gui.models.audit_sentences import (
    ACTIONS,
    ENTITIES,
    action_name,
    entity_text,
    sentence,
)

ROOT = Path(__file__).resolve().parents[2] / "secretdesk"
SOURCES = [*sorted((ROOT / "services").rglob("*.py")), ROOT / "storage" / "audit.py"]


def _literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def _calls_of(name: str, position: int) -> list[str]:
    """The string literals passed at ``position`` to calls of the function ``name``."""
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and len(node.args) > position:
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called == name:
                    found += _literals(node.args[position])
    return found


GUI_SESSION_ACTIONS = ("opened", "locked")  # gui/controller.py record_session(...)


def _constant(name: str) -> list[str]:
    """A module-level string constant ``NAME = "..."`` (e.g. users.SLOT_PIN_ACTION)."""
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                return _literals(node.value)
    return []


def _expand(arg: ast.AST, function: ast.FunctionDef | None) -> list[str]:
    """The actions one audit call can write."""
    if literal := _literals(arg):
        return literal
    if isinstance(arg, ast.Attribute) and (found := _constant(arg.attr)):
        return found
    if isinstance(arg, ast.JoinedStr):  # f"print.{what}": every document the printer prints
        prefix = arg.values[0]
        assert isinstance(prefix, ast.Constant)
        if prefix.value in ("print.", "reprint."):
            return [prefix.value + what for what in _calls_of("_print", 0)]
        if prefix.value == "session.":
            return [f"session.{a}" for a in GUI_SESSION_ACTIONS]
    if isinstance(arg, ast.Name) and function is not None:
        assigned = [
            literal
            for node in ast.walk(function)
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == arg.id for t in node.targets)
            for literal in _literals(node.value)
        ]
        if assigned:
            return assigned
        names = [a.arg for a in function.args.args if a.arg != "self"]
        if function.name == "audit":  # Change.audit itself: its callers are scanned
            return []
        if arg.id in names:  # a parameter: what its callers pass
            return _calls_of(function.name, names.index(arg.id))
    raise AssertionError(f"cannot tell which action {ast.unparse(arg)} writes")


def written_actions() -> dict[str, set[str]]:
    """action -> the detail keys written with it ("**" when some are spread in)."""
    actions: dict[str, set[str]] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            keywords = {k.arg or "**": k.value for k in node.keywords}
            if called == "audit" and node.args and isinstance(func, ast.Attribute):
                arg, keys = node.args[0], set(keywords)
            elif called == "append" and "action" in keywords:
                arg = keywords["action"]
                detail = keywords.get("detail")
                keys = {"**"}
                if isinstance(detail, ast.Dict):
                    keys = {k.value if isinstance(k, ast.Constant) else "**" for k in detail.keys}
            else:
                continue
            owner = next(
                (
                    f
                    for f in functions
                    if f.lineno <= node.lineno <= (f.end_lineno or 0)
                    and any(n is node for n in ast.walk(f))
                ),
                None,
            )
            for action in _expand(arg, owner):
                actions.setdefault(action, set()).update(keys)
    return actions


WRITTEN = written_actions()


def test_the_scan_finds_the_actions_it_should() -> None:
    for action in (
        "destruction.withdrawn",
        "print.minutes",
        "reprint.slip",
        "session.opened",
        "handover.closed_by_destruction",
        "office.package_rejected",
        "vault.restored",
    ):
        assert action in WRITTEN
    assert len(WRITTEN) > 80


def test_every_written_action_has_a_name_and_a_sentence() -> None:
    missing = sorted(a for a in WRITTEN if a not in ACTIONS or not ACTIONS[a][1])
    assert missing == []


def test_sentences_only_use_fields_the_service_writes() -> None:
    wrong = {}
    for action, keys in WRITTEN.items():
        fields = {f for _t, f, _s, _c in string.Formatter().parse(ACTIONS[action][1]) if f}
        extra = fields - keys - {"entity_id", "entry"}  # filled by sentence() itself
        if extra and "**" not in keys:
            wrong[action] = sorted(extra)
    assert wrong == {}


SAMPLE = {
    "copies": [3, 4],
    "level": "toi-mat",
    "kind": "loss",
    "register": "destruction 3/2026",
    "destroyed_at": "2026-11-20T02:00:00+00:00",
    "decided_on": "2026-11-20",
    "held_on": "2026-11-20",
    "findings": ["eth0"],
    "waiting_for": ["lan"],
    "units": ["A", "B"],
    "missing": [1],
    "unexpected": [],
}


@pytest.mark.parametrize("language", ["en", "vi"])
def test_every_sentence_reads_without_ids_or_json(language: str) -> None:
    i18n.set_language(language)
    try:
        for action, keys in sorted(WRITTEN.items()):
            if "**" in keys:  # spread in by the caller: the fields the sentence names
                keys = keys | {
                    f for _t, f, _s, _c in string.Formatter().parse(ACTIONS[action][1]) if f
                }
            detail = {
                k: SAMPLE.get(k, f"«{k}»") for k in keys if k not in ("**", "entity_id", "entry")
            }
            if action.startswith("permit."):
                detail["kind"] = "take-out"
            if action.startswith("export."):
                detail["kind"] = "annual"
            if "countersigned_by" in ACTIONS[action][1]:
                detail["countersigned_by"] = "«countersigned_by»"
            text = sentence(action, "7", json.dumps(detail))
            name = action_name(action)
            assert text and name != action, action
            assert action not in text and "{" not in text and '"' not in text, (action, text)
            assert "[" not in text and "—" not in text, (action, text)
            if language == "vi":
                english = ACTIONS[action][1].split("{")[0].strip()
                assert english == "" or english not in text, (action, text)
                assert i18n.translate(ACTIONS[action][0]) != ACTIONS[action][0], action
    finally:
        i18n.set_language("en")


def test_destruction_sentences_in_both_languages() -> None:
    detail = json.dumps(
        {"number": "3/2026", "reason": "nhầm bản", "countersigned_by": "lan", "copies": [1, 2]}
    )
    assert sentence("destruction.withdrawn", "3", detail) == (
        "Destruction case 3/2026 was withdrawn, countersigned by lan: nhầm bản."
    )
    assert action_name("destruction.withdrawn") == "Destruction case withdrawn"
    i18n.set_language("vi")
    try:
        assert sentence("destruction.withdrawn", "3", detail) == (
            "Hồ sơ tiêu hủy 3/2026 đã được rút, người ký duyệt thứ hai lan: nhầm bản."
        )
        one = json.dumps({"register": "destruction 4/2026", "copies": [9], "grounds": "hết hạn"})
        assert sentence("destruction.proposed", "4", one) == (
            "Đề nghị tiêu hủy hồ sơ 4/2026 gồm 1 bản: hết hạn."
        )
        permit = json.dumps(
            {"kind": "provision", "abroad": True, "copies": [1], "requester": "Ông A"}
        )
        assert "cung cấp cho cơ quan, tổ chức, cá nhân nước ngoài" in sentence(
            "permit.requested", "2", permit
        )
    finally:
        i18n.set_language("en")


def written_entities() -> set[str]:
    """The entities the services name in their audit events (the Object column)."""
    found = {"unit", "user", "vault"} | {of.value for of in EvidenceOf}  # setup, attachments
    found |= set(_calls_of("_print", 0))  # f"print.{what}" names its document
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "audit"
                and len(node.args) > 1
            ):
                found |= set(_literals(node.args[1]))
    return found


def test_every_object_of_an_event_has_a_name_in_both_languages() -> None:
    entities = written_entities()
    assert {"destruction_case", "permit", "incident", "minutes"} <= entities
    assert sorted(entities - set(ENTITIES)) == []
    i18n.set_language("vi")
    try:
        for entity in entities:
            assert i18n.translate(ENTITIES[entity]) != ENTITIES[entity], entity
        detail = json.dumps({"number": "3/2026", "reason": "x"})
        assert entity_text("destruction_case", "5", detail) == "hồ sơ tiêu hủy 3/2026"
        proposed = json.dumps({"register": "destruction 4/2026"})
        assert entity_text("destruction_case", "6", proposed) == "hồ sơ tiêu hủy 4/2026"
    finally:
        i18n.set_language("en")
