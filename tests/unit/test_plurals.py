"""English plurals (issue 17): a message that puts a count before a plural noun has a
singular id chosen by ``plural()``, so English never says "1 problems".

The scan knows regular plurals ("events", "copies", "entries"), irregular ones ("people",
"children", "indices"), a noun after one or two words that describe it ("{count} data
rows", "{failures} failed unlock attempts"), and every number of a message: one
``plural()`` chooses by one number, so a message that counts two things (or whose verb
agrees with a second number, "only {authorised} were authorised") is split, or each count
goes in as its own ``plural_text()``."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from secretdesk import i18n
from secretdesk.gui.models.audit_sentences import sentence
from secretdesk.i18n import plural, plural_text
from secretdesk.services.attachments import EvidenceGaps

PACKAGE = Path(__file__).resolve().parents[2] / "secretdesk"
MARKERS = {"_", "N_", "LazyText", "gettext"}
PLURAL_CALLS = {"plural", "plural_text"}
# A placeholder, up to two words describing the noun, then the noun: "{count} events",
# "{count} data rows", "{failures} failed unlock attempts".
COUNTED = re.compile(r"\{([A-Za-z_]+)\}((?: [a-z][a-z-]*){1,3})")
# English plurals that do not end in "s" (and the Latin ones that do, named for clarity).
IRREGULAR_PLURALS = frozenset(
    {"people", "children", "men", "women", "feet", "teeth", "mice", "indices", "matrices"}
    | {"criteria", "phenomena", "analyses", "theses"}
)
# A verb that agrees with a plural count: "only {authorised} were authorised".
PLURAL_VERBS = frozenset({"were", "are", "have"})
# Words that end a described noun: after them the count is over ("{id} of copies").
NOT_DESCRIBING = frozenset(
    {"a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "and", "or"}
    | {"is", "was", "be", "been", "not", "no", "may", "can", "will", "than", "that", "this"}
)
# Words ending in "s" after a placeholder that are verbs or not nouns: "{name} is".
NOT_PLURAL_NOUNS = frozenset(
    {"is", "was", "has", "does", "lists", "names", "matches", "differs", "leads", "says", "holds"}
    | {"carries", "as", "its", "reaches", "exists", "covers", "stops", "goes", "needs", "ties"}
    | {"this", "has"}
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
    # a lock-out comes after at least FREE_ATTEMPTS (5) failures; the wait has its own plural
    "{failures} failed unlock attempts. Wait {wait} before trying again.",
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


def counted_nouns(message: str) -> dict[str, str]:
    """{placeholder: the plural noun it counts} in one message id."""
    found: dict[str, str] = {}
    for placeholder, words in COUNTED.findall(message):
        for word in words.split():
            if word in NOT_DESCRIBING or word in NOT_PLURAL_NOUNS:
                break
            if word in IRREGULAR_PLURALS or (word.endswith("s") and not word.endswith("ss")):
                found.setdefault(placeholder, word)
                break
    return found


def agreeing_verbs(message: str) -> set[str]:
    """Placeholders a plural verb agrees with: "{authorised} were"."""
    return {p for p, words in COUNTED.findall(message) if words.split()[0] in PLURAL_VERBS}


def numbers(message: str) -> set[str]:
    """The placeholders that count something in ``message``: each needs its own agreement.
    A verb after a placeholder counts only in a message that counts a noun as well (else
    "Labels {id} were printed" would be a count)."""
    nouns = set(counted_nouns(message))
    return nouns | agreeing_verbs(message) if nouns else nouns


@cache  # one walk of the package serves every test (read only)
def _scan_pairs() -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """(every marked message id -> where, [(singular id, plural id, where)] of plural())."""
    marked: dict[str, str] = {}
    pairs: list[tuple[str, str, str]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: dict[str, str] = {}
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                value = _string(statement.value, {})
                if isinstance(target, ast.Name) and value is not None:
                    names[target.id] = value
        relative = path.relative_to(PACKAGE.parent)
        for node in ast.walk(tree):
            where = f"{relative}:{getattr(node, 'lineno', 0)}"
            # A table SINGULAR_OF = {plural id: (detail, singular id)} handed to plural().
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id == "SINGULAR_OF"
                and isinstance(node.value, ast.Dict)
            ):
                for key, value in zip(node.value.keys, node.value.values, strict=True):
                    other = _string(key, {}) if key else None
                    one = (
                        _string(value.elts[1], {})
                        if isinstance(value, ast.Tuple) and len(value.elts) == 2
                        else None
                    )
                    if other and one:
                        pairs.append((one, other, where))
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in PLURAL_CALLS and len(node.args) >= 3:
                one, other = _string(node.args[1], names), _string(node.args[2], names)
                if one is not None and other is not None:
                    pairs.append((one, other, where))
            elif node.func.id in MARKERS and node.args:
                message = _string(node.args[0], {})
                if message is not None:
                    marked.setdefault(message, where)
    return marked, pairs


def _scan() -> tuple[dict[str, str], set[str]]:
    """(counted plural ids -> where, ids given as ``other`` to plural() or plural_text())."""
    marked, pairs = _scan_pairs()
    counted = {message: where for message, where in marked.items() if counted_nouns(message)}
    return counted, {other for _, other, _ in pairs}


def test_every_counted_plural_message_has_a_singular_form() -> None:
    counted, others = _scan()
    assert len(counted) > 30  # the scan finds the messages it is meant to find
    ones = {one for one, _, _ in _scan_pairs()[1]}  # checked against their plural below
    missing = sorted(
        f"{where}: {message!r}"
        for message, where in counted.items()
        if message not in others and message not in EXEMPT and message not in ones
    )
    assert not missing, "use plural(count, one, other) for:\n" + "\n".join(missing)


def test_every_number_of_a_message_agrees() -> None:
    """One plural() chooses by one number: a second count in the same id never agrees."""
    marked, pairs = _scan_pairs()
    every = {**marked, **{other: where for _, other, where in pairs}}
    every.update({one: where for one, _, where in pairs})
    two = sorted(
        f"{where}: {message!r} counts {sorted(numbers(message))}"
        for message, where in every.items()
        if len(numbers(message)) > 1
    )
    assert not two, "split, or one plural_text() per count:\n" + "\n".join(two)
    # The singular id of a pair says nothing plural about another number.
    wrong = sorted(
        f"{where}: {one!r}"
        for one, other, where in pairs
        if numbers(one) - numbers(other) or (agreeing_verbs(one) - set(counted_nouns(other)))
    )
    assert not wrong, "a second number in a singular id:\n" + "\n".join(wrong)


def test_the_scan_knows_irregular_plurals_and_described_nouns() -> None:
    for message in (
        "{count} copies",
        "{count} entries",
        "{count} people",
        "{count} children",
        "{count} indices",
        "{count} matrices",
        "{count} data rows",
        "{failures} failed unlock attempts",
    ):
        assert list(counted_nouns(message)) == [message[1:].split("}")[0]], message
    for message in ("{name} is", "{code} matches copies", "{id} has no reproductions"):
        assert counted_nouns(message) == {}, message
    assert numbers("{made} copies made but only {authorised} were authorised.") == {
        "made",
        "authorised",
    }
    assert numbers("Labels {entity_id} were printed.") == set()
    assert numbers("{found} of {expected} copies found.") == {"expected"}


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


def test_audit_sentences_count_one_failed_attempt() -> None:
    i18n.set_language("en")
    try:
        one = sentence("session.failed_unlocks", None, '{"failures": 1}')
        two = sentence("session.failed_unlocks", None, '{"failures": 2}')
    finally:
        i18n.set_language(i18n.DEFAULT_LANGUAGE)
    assert (one, two) == (
        "1 failed attempt before this session.",
        "2 failed attempts before this session.",
    )
