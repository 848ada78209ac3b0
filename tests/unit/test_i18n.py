"""Every marked message has a Vietnamese translation with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from secretdesk import i18n
from secretdesk.i18n import read_po

PACKAGE = Path(__file__).resolve().parents[2] / "secretdesk"
MARKERS = {"_", "N_", "LazyText"}


def marked_messages() -> dict[str, str]:
    """msgid -> where it is used, for every _("...") and N_("...") in the program."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in MARKERS
                and node.args
            ):
                arg = node.args[0]
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                # A variable holding an id declared with N_() elsewhere is fine; building the
                # id inside the call is not: placeholders are filled with .format() outside.
                nested_marker = (
                    isinstance(arg, ast.Call)
                    and isinstance(arg.func, ast.Name)
                    and arg.func.id in MARKERS
                )
                assert nested_marker or not isinstance(arg, (ast.JoinedStr, ast.BinOp, ast.Call)), (
                    f"{where}: no f-string, % or concatenation inside _()"
                )
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, where)
    return found


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_messages_are_found() -> None:
    assert len(marked_messages()) > 50


def test_every_message_has_a_vietnamese_translation() -> None:
    catalogue = i18n.catalogue("vi")
    missing = [
        f"{where}: {msgid!r}"
        for msgid, where in marked_messages().items()
        if not catalogue.get(msgid)
    ]
    assert not missing, "missing Vietnamese translations:\n" + "\n".join(missing)


def test_translations_keep_placeholders() -> None:
    catalogue = i18n.catalogue("vi")
    wrong = [
        msgid for msgid, text in catalogue.items() if placeholders(msgid) != placeholders(text)
    ]
    assert not wrong, wrong


def test_vietnamese_is_default_and_translates() -> None:
    assert i18n.DEFAULT_LANGUAGE == "vi"
    assert i18n.translate("Wrong user name or passphrase.", "vi") != (
        "Wrong user name or passphrase."
    )
    assert i18n.translate("Wrong user name or passphrase.", "en") == (
        "Wrong user name or passphrase."
    )


def test_po_reader_handles_continuations_escapes_and_fuzzy() -> None:
    text = "\n".join(
        [
            'msgid ""',
            'msgstr "Language: vi\\n"',
            "",
            'msgid "Hello {name}"',
            'msgstr ""',
            '"Xin chào "',
            '"{name}"',
            "",
            "#, fuzzy",
            'msgid "Draft"',
            'msgstr "Bản nháp"',
            "",
            'msgid "Say \\"hi\\""',
            'msgstr "Nói \\"chào\\""',
        ]
    )
    assert dict(read_po(text)) == {"Hello {name}": "Xin chào {name}", 'Say "hi"': 'Nói "chào"'}


def test_po_reader_rejects_garbage() -> None:
    with pytest.raises(ValueError):
        list(read_po("msgid nonsense"))
