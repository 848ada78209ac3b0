"""Translations with gettext-style catalogues and English message ids.

Messages are marked with ``_()`` where they are shown and ``N_()`` where they are only
declared (error classes, tables). Placeholders use ``str.format`` names *outside* the call:
``_("Handover {number}").format(number=n)``. The Vietnamese catalogue is the default
language; a test fails when a marked message has no Vietnamese translation.

The catalogue is a set of ``.po`` files read directly, so no compile step is needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from secretdesk.resources import resource_path

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
DOMAIN = "secretdesk"

_current_language = DEFAULT_LANGUAGE
_catalogues: dict[str, dict[str, str]] = {}


def N_(message: str) -> str:
    """Mark a message for translation without translating it now."""
    return message


class LazyText:
    """A message id (with its parameters) translated only when it is rendered.

    Errors carry these as parameters so the same error can be shown in either language.
    """

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params

    def render(self, language: str | None = None) -> str:
        params = {k: render_value(v, language) for k, v in self.params.items()}
        return translate(self.message, language).format(**params)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"LazyText({self.message!r})"


def label(labels: Mapping[str, str], value: str) -> LazyText | str:
    """The translatable label of a stored value (a kind, a status), or the value itself."""
    message = labels.get(value)
    return LazyText(message) if message else value


def render_value(value: object, language: str | None = None) -> object:
    return value.render(language) if isinstance(value, LazyText) else value


def catalogue_paths(language: str) -> list[Path]:
    """Every ``.po`` file of a language; each part of the program may keep its own."""
    return sorted(resource_path("locale", language, "LC_MESSAGES").glob("*.po"))


def catalogue(language: str) -> dict[str, str]:
    """msgid -> msgstr for a language; English is the identity and has no file."""
    if language == "en":
        return {}
    if language not in _catalogues:
        merged: dict[str, str] = {}
        for path in catalogue_paths(language):
            merged.update(read_po(path.read_text(encoding="utf-8")))
        _catalogues[language] = merged
    return _catalogues[language]


def set_language(language: str) -> None:
    global _current_language
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _current_language = language


def current_language() -> str:
    return _current_language


def translate(message: str, language: str | None = None) -> str:
    translated = catalogue(language or _current_language).get(message)
    return translated if translated else message


def plural(count: int, one: str, other: str) -> str:
    """The message id for ``count`` things: ``one`` for exactly 1, else ``other``.

    Vietnamese has one form and translates both ids alike; English says "1 problem"."""
    return one if count == 1 else other


def plural_text(number: int, one: str, other: str, /, **params: object) -> LazyText:
    """A ``LazyText`` of the id ``plural`` chooses for ``number``, with its parameters."""
    message = plural(number, one, other)
    return LazyText(message, **params)


def gettext(message: str) -> str:
    return translate(message)


_ = gettext


def read_po(text: str) -> Iterator[tuple[str, str]]:
    """Yield (msgid, msgstr) pairs of a PO file; the header entry and fuzzy entries are skipped."""
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    target: list[str] | None = None
    fuzzy = False
    pending_fuzzy = False

    def flush() -> Iterator[tuple[str, str]]:
        if msgid is not None and msgstr is not None:
            key = "".join(msgid)
            if key and not fuzzy:
                yield key, "".join(msgstr)

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            pending_fuzzy = True
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith("msgid "):
            yield from flush()
            msgid, msgstr = [_unquote(line[6:])], None
            target = msgid
            fuzzy, pending_fuzzy = pending_fuzzy, False
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            target = msgstr
        elif line.startswith('"') and target is not None:
            target.append(_unquote(line))
        else:
            raise ValueError(f"unsupported line in catalogue: {raw!r}")
    yield from flush()


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(.?)", re.DOTALL)  # a backslash and the character after it, if any


def _unquote(token: str) -> str:
    token = token.strip()
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"not a quoted PO string: {token!r}")
    body = token[1:-1]
    if "\\" not in body:  # most strings: nothing to unescape (start-up reads them all)
        return body
    return _ESCAPE.sub(lambda match: _ESCAPES.get(match[1], match[1]), body)
