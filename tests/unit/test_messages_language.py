"""Every message id rendered in both languages with sample arguments (issue 17).

Fails on a ``{placeholder}`` (or ``%(name)s``) left unfilled, on a translation that names a
placeholder the English id does not give, and on an English program word left inside a
Vietnamese sentence. A word counts as Vietnamese when it is written with Vietnamese letters
(diacritics) or is a Vietnamese syllable; the rest must be on the explicit list of technical
words below (formats, products, file names and what the clerk types on the command line).
"""

from __future__ import annotations

import re
import string

import pytest

from secretdesk import i18n
from secretdesk.cli import argparse_language

# Technical words a Vietnamese sentence may contain: file formats and products, date
# patterns the clerk types, and the command words and values of the command line.
ALLOWED = frozenset(
    [
        "USB",
        "CSV",
        "PDF",
        "pdf",
        "PNG",
        "JPEG",
        "TIFF",
        "xlsx",
        "xls",
        "Excel",
        "UTF-8",
        "Windows-1258",
        "JSON",
        "MB",
        "UTC",
        "SHA-256",
        "SHA256",
        "SHA256SUMS",
        "hex",
        "SecretDesk",
        "secretdesk",
        "SQLCipher",
        "Argon2id",
        "SQLite",
        "Python",
        "PySide6",
        "Qt",
        "Ctrl",
        "Enter",
        "minisign",
        "signify",
        "pub",
        "YYYY",
        "YYYY-MM-DD",
        "YYYY-MM-DDTHH",
        "MM",
        "DD",
        "NN",
        "TT",
        "NNNN",
        "NNNN-TT-NN",
        "NNNN-TT-NNTGG",
        "PP",
        "N",
        "DIR",
        "USER",
        "STT",
        "VD",
        "STP-QNG",
        "IPv4",
        "IPv6",
        "byte",
        "init",
        "office",
        "trust",
        "untrust",
        "unit",
        "mapping",
        "chair",
        "holder",
        "member",
        "toi-mat",
        "tuyet-mat",
        "trusted",
        "comment",
        "SECRETDESK_NEW_PASSPHRASE",
        # command words of the keys and legal commands (issues 12 and 14)
        "passwd",
        "rekey",
        "user",
        "reset-passphrase",
        "approver",
        "posts",
        "set",
        "POST",
        # command word of the unit key rotation (issue 12)
        "rotate",
        # the numbered parts of the yearly report
        "II",
        "IV",
    ]
)
# words that look like Vietnamese syllables written without marks but are English
ENGLISH = frozenset(
    [
        "the",
        "and",
        "of",
        "is",
        "are",
        "was",
        "not",
        "to",
        "for",
        "with",
        "from",
        "this",
        "that",
        "be",
        "by",
        "or",
        "no",
        "yes",
        "on",
        "at",
        "it",
        "as",
    ]
)
_SYLLABLE = re.compile(
    r"^(b|c|ch|d|g|gh|gi|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)?"
    r"(a|e|i|o|u|y|ai|ao|au|ay|eo|eu|ia|iu|oa|oe|oi|ua|ue|ui|uy|uya|uye|oai|oay|oeo|ieu|yeu"
    r"|uoi|uou|ie|uo|ye)(c|ch|m|n|ng|nh|p|t)?$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\b[^\W\d_][\w\-]*")
_COMMAND_LINE = re.compile(
    r"--[\w-]+|\b[\w-]+\.(pub|pdf|xlsx|xls|csv)\b|Qt for Python|\b[0-9a-f]{16,}\b"
)
_LEFTOVER = re.compile(r"\{\w*\}|%\(\w+\)[sdr]")


def render(msgid: str, language: str) -> str:
    text = i18n.translate(msgid, language)
    if "%(" in msgid or re.search(r"%[sr]", msgid):
        names = set(re.findall(r"%\((\w+)\)", msgid))
        if names:
            return text % {name: "7" for name in names}
        return text % tuple("7" for _ in re.findall(r"%[sr]", msgid))
    fields = {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(msgid) if f}
    return text.format(**{name: "7" for name in fields})


def program_words(text: str) -> list[str]:
    text = _COMMAND_LINE.sub(" ", text)
    found = []
    for word in _WORD.findall(text):
        if len(word) == 1 or not word.isascii() or word in ALLOWED:  # 1: a mnemonic, "x"
            continue
        if word.lower() in ENGLISH or not _SYLLABLE.match(word):
            found.append(word)
    return found


MESSAGE_IDS = sorted(set(i18n.catalogue("vi")) | set(argparse_language.MESSAGES))


@pytest.mark.parametrize("language", ["en", "vi"])
def test_every_message_renders_with_its_placeholders_filled(language: str) -> None:
    failures = []
    for msgid in MESSAGE_IDS:
        try:
            text = render(msgid, language)
        except (KeyError, IndexError, ValueError, TypeError) as error:
            failures.append(f"{msgid!r}: {error!r}")
            continue
        if _LEFTOVER.search(text):
            failures.append(f"{msgid!r} -> {text!r}")
    assert not failures, "\n".join(failures)


def test_no_english_program_word_inside_a_vietnamese_message() -> None:
    failures = {}
    for msgid in MESSAGE_IDS:
        words = program_words(render(msgid, "vi"))
        if words:
            failures[msgid] = words
    assert not failures, "\n".join(f"{k!r}: {v}" for k, v in failures.items())


def test_the_checker_itself_catches_program_words() -> None:
    assert program_words("Không có sổ đăng ký outgoing 2025") == ["outgoing"]
    assert program_words("36 events, head 7f3a") == ["events", "head"]
    assert program_words("interface eth0; route IPv4") == ["interface", "eth0", "route"]
    assert program_words("Hình thức: sao-y; dispatch; internal_issue") == [
        "sao-y",
        "dispatch",
        "internal_issue",
    ]
    assert program_words("Bản số 1 của tài liệu 12/QĐ-UBND đang chuyển giao") == []
    assert program_words("dùng --limit hoặc tệp unit.pub") == []
