"""English plurals (issue 17): a message that puts a count before a plural noun has a
singular id chosen by ``plural()``, so English never says "1 problems"."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from secretdesk import i18n
from secretdesk.gui.models.audit_sentences import sentence
from secretdesk.i18n import plural, plural_text
from secretdesk.services.attachments import EvidenceGaps

PACKAGE = Path(__file__).resolve().parents[2] / "secretdesk"
MARKERS = {"_", "N_", "LazyText", "gettext"}
PLURAL_CALLS = {"plural", "plural_text"}
# A placeholder followed by a word ending in "s": "{count} events".
COUNTED = re.compile(r"\{[A-Za-z_]+\} ([a-z]+s)\b")
# Words ending in "s" after a placeholder that are verbs or not nouns: "{name} is".
NOT_PLURAL_NOUNS = frozenset(
    {"is", "was", "has", "does", "lists", "names", "matches", "differs", "leads", "says", "holds"}
    | {"carries", "as", "its"}
)
# Ids whose number is never 1, or whose placeholder is not a count of the noun after it.
EXEMPT = {
    # a file's size in bytes beside the size its manifest gives
    "{name} has {found} bytes, the manifest says {size}",
    # the minimum passphrase length is a setting of at least 8
    "A passphrase must have at least {minimum} characters.",
    "At least {minimum} characters. A short sentence you can remember is best; do not write "
    "it on the computer.",
    # {level} is a classification level, not a number
    "{user} is not cleared to see {level} records.",
    # limits and sizes of files: thousands of bytes, settings counted in tens of days or years
    "it is larger than {limit} bytes.",
    "{file} is larger than {limit} bytes: it was refused without being read.",
    "Written: {path} ({size} bytes).",
    "Attached as #{id}: {file} ({size} bytes, SHA-256 {sha256}).",
    "an extension is at most {years} years for this level",
    "it must be decided at least {days} days before expiry ({expiry})",
    "An emergency destruction is reported at once: {at} is more than {days} days ago. "
    "Report it as an incident instead.",
    "{failures} failed unlock attempts. Wait {seconds} seconds before trying again.",
    # a page size or a shown-list limit of the program, never 1
    "Only the first {limit} items are shown; more exist. Use --limit or --search.",
    "The latest {limit} events, newest first. Every change in the vault is recorded here, "
    "chained so that no event can be altered or removed unnoticed.",
}


def _string(node: ast.AST, names: dict[str, str]) -> str | None:
    """The message id an argument stands for: a literal, N_("..."), or a module constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in MARKERS
        and node.args
    ):
        return _string(node.args[0], names)
    if isinstance(node, ast.Name):
        return names.get(node.id)
    return None


def _scan() -> tuple[dict[str, str], set[str]]:
    """(counted plural ids -> where, ids given as ``other`` to plural() or plural_text())."""
    counted: dict[str, str] = {}
    others: set[str] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: dict[str, str] = {}
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                value = _string(statement.value, {})
                if isinstance(target, ast.Name) and value is not None:
                    names[target.id] = value
        for node in ast.walk(tree):
            # A table SINGULAR_OF = {plural id: (detail, singular id)} handed to plural().
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "SINGULAR_OF"
                and isinstance(node.value, ast.Dict)
            ):
                others.update(key for key in (_string(k, {}) for k in node.value.keys if k) if key)
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in PLURAL_CALLS and len(node.args) >= 3:
                other = _string(node.args[2], names)
                if other is not None:
                    others.add(other)
            elif node.func.id in MARKERS and node.args:
                message = _string(node.args[0], {})
                if message is None:
                    continue
                words = [w for w in COUNTED.findall(message) if w not in NOT_PLURAL_NOUNS]
                if words:
                    counted.setdefault(message, f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return counted, others


def test_every_counted_plural_message_has_a_singular_form() -> None:
    counted, others = _scan()
    assert len(counted) > 30  # the scan finds the messages it is meant to find
    missing = sorted(
        f"{where}: {message!r}"
        for message, where in counted.items()
        if message not in others and message not in EXEMPT
    )
    assert not missing, "use plural(count, one, other) for:\n" + "\n".join(missing)


def test_exemptions_are_still_used() -> None:
    counted, _ = _scan()
    assert set(counted) >= EXEMPT, EXEMPT - set(counted)


def test_each_singular_id_has_a_vietnamese_translation() -> None:
    _, others = _scan()
    vietnamese = i18n.catalogue("vi")
    for message in others:
        assert message in vietnamese, message


def test_plural_chooses_the_singular_only_for_one() -> None:
    assert [plural(n, "one", "other") for n in (0, 1, 2)] == ["other", "one", "other"]
    text = plural_text(1, "{count} problem", "{count} problems", count=1)
    assert text.render("en") == "1 problem"


def test_evidence_gaps_say_one_handover_and_two_destructions() -> None:
    gaps = EvidenceGaps(handovers=("3/2026",), destructions=("1/2026", "2/2026"))
    assert gaps.lines("en") == [
        "1 handover received without a scan of the signed slip: 3/2026.",
        "2 destructions without scanned signed minutes: 1/2026, 2/2026.",
    ]
    vietnamese = gaps.lines("vi")
    assert vietnamese[0].startswith("1 lần giao nhận") and "handover" not in vietnamese[0]


def test_audit_sentences_count_one_copy() -> None:
    i18n.set_language("en")
    try:
        one = sentence("copy.approved", "1", '{"approver": "lan", "authorised": 1}')
        two = sentence("copy.approved", "1", '{"approver": "lan", "authorised": 2}')
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)
    assert one.startswith("lan approved 1 copy ("), one
    assert two.startswith("lan approved 2 copies ("), two
