"""The columns of an old register: its heading row and which field each column gives.

Old Excel registers have title lines above the headings, headings with or without
diacritics, in Vietnamese or English, and a "(1) (2) (3)" line below them. Headings are
matched accent- and case-insensitively (``fold``); the user can name the field of any other
column with COLUMN=FIELD (a heading or a column letter).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from secretdesk.domain.errors import DomainError
from secretdesk.domain.text import fold
from secretdesk.i18n import N_, LazyText

HEADING_SEARCH_ROWS = 15  # title lines above the heading row of an old register
REQUIRED = ("number_symbol", "doc_date", "level", "copies")

# field -> (label for messages, headings that mean it: Vietnamese, unaccented, English)
# fmt: off
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "number_symbol": (
        N_("number and symbol"),
        ("Số, ký hiệu", "Số và ký hiệu", "Số ký hiệu văn bản", "Số hiệu", "Ký hiệu",
         "Số văn bản", "number_symbol", "number and symbol", "number"),
    ),
    "doc_date": (
        N_("document date"),
        ("Ngày", "Ngày văn bản", "Ngày tháng", "Ngày, tháng văn bản", "Ngày tháng văn bản",
         "Ngày ban hành", "Ngày ký", "doc_date", "date", "document date"),
    ),
    "level": (
        N_("classification level"),
        ("Độ mật", "Mức độ mật", "Độ mật của tài liệu", "level", "classification"),
    ),
    "copies": (
        N_("number of copies"),
        ("Số bản", "Số lượng bản", "Số lượng", "copies", "number of copies"),
    ),
    "summary": (
        N_("summary"),
        ("Trích yếu", "Trích yếu nội dung", "Nội dung", "Tên loại và trích yếu nội dung",
         "summary", "subject"),
    ),
    "doc_type": (
        N_("document type"),
        ("Loại văn bản", "Tên loại văn bản", "Thể loại", "Loại", "doc_type", "type",
         "document type"),
    ),
    "issuer": (
        N_("issuing body"),
        ("Nơi ban hành", "Cơ quan ban hành", "Đơn vị ban hành", "Nơi gửi", "Cơ quan gửi",
         "Tác giả", "issuer", "issuing body"),
    ),
    "pages": (N_("pages"), ("Số tờ", "Số trang", "pages", "sheets")),
    "urgency": (N_("urgency"), ("Độ khẩn", "Mức độ khẩn", "urgency")),
    "recipients": (
        N_("recipients"),
        ("Người nhận", "Nơi nhận", "Đơn vị nhận", "Đơn vị, người nhận", "recipients",
         "recipient"),
    ),
    "notes": (N_("notes"), ("Ghi chú", "notes", "note", "remarks")),
    "old_number": (
        N_("number in the old register"),
        ("STT", "Số thứ tự", "Số đến", "Số đi", "Số TT", "old_number", "no"),
    ),
    "classifier": (
        N_("classifier"),
        ("Người xác định độ mật", "Người ký", "classifier"),
    ),
    "classified_on": (
        N_("classification date"),
        ("Ngày xác định độ mật", "classified_on", "classification date"),
    ),
    "container": (
        N_("kind of container"),
        ("Vật chứa", "Loại vật chứa", "Hình thức", "container"),
    ),
    "named_addressee": (
        N_("named addressee"),
        ("Chỉ người có tên mới được bóc bì", "Người có tên", "named_addressee",
         "named addressee"),
    ),
    "recall_by": (
        N_("return deadline"),
        ("Hạn thu hồi", "Thu hồi trước ngày", "recall_by", "return deadline"),
    ),
    "drafter": (N_("drafter"), ("Người soạn thảo", "Người dự thảo", "drafter")),
    "storage_location": (
        N_("storage location"),
        ("Nơi lưu giữ", "Nơi lưu", "Lưu tại", "storage_location", "storage"),
    ),
    "summary_consent": (
        N_("classifier consents to the summary"),
        ("Đồng ý ghi trích yếu", "summary_consent"),
    ),
    "no_copying": (
        N_("no copying"),
        ("Không được sao", "Cấm sao chụp", "Không sao chụp", "no_copying", "no copying"),
    ),
}
# fmt: on
IGNORE = "-"  # --mapping "Cột=-" leaves a column out


class ImportFileInvalid(DomainError):
    code = "import.file_invalid"
    message = N_("The file cannot be imported: {reason}")


def heading_key(text: str) -> str:
    """ "Số, ký hiệu" / "So ky hieu" / "SỐ KÝ HIỆU (1)" -> "so ky hieu"."""
    text = re.sub(r"\([^)]*\)", " ", text)
    folded = fold(text).replace("_", " ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())


ALIASES: dict[str, str] = {
    heading_key(alias): name for name, (_label, aliases) in FIELDS.items() for alias in aliases
}


def field_label(name: str) -> LazyText:
    return LazyText(FIELDS[name][0])


class JoinedText(LazyText):
    """Several texts joined, each rendered in the reader's language only when shown."""

    def __init__(self, parts: Sequence[LazyText | str], separator: str, prefix: str = "") -> None:
        # No message id of its own: render() joins the parts.
        self.message, self.params = separator, {}
        self.parts, self.separator, self.prefix = list(parts), separator, prefix

    def render(self, language: str | None = None) -> str:
        return self.separator.join(
            self.prefix + (p.render(language) if isinstance(p, LazyText) else p) for p in self.parts
        )


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def describe_column(index: int, headings: Sequence[str]) -> str:
    heading = " ".join(headings[index].split()) if index < len(headings) else ""
    letter = column_letter(index)
    return f"{letter} ({heading})" if heading else letter


def parse_mapping(pairs: Sequence[str]) -> dict[str, str]:
    """ "Cột lạ=summary" pairs from the command line; the field must be known."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, name = pair.partition("=")
        name = name.strip()
        if not sep or not column.strip() or (name not in FIELDS and name != IGNORE):
            raise ImportFileInvalid(
                reason=LazyText(
                    N_("the mapping {mapping} is not COLUMN=FIELD with FIELD one of {fields}."),
                    mapping=pair,
                    fields=", ".join(FIELDS),
                )
            )
        mapping[column.strip()] = name
    return mapping


def heading_score(cells: Sequence[str], overrides: Mapping[str, str] | None = None) -> int:
    """How many cells of a row are headings we know: the heading row scores highest."""
    override_keys = {heading_key(k) for k in overrides or {}}
    return sum(
        1 for c in cells if (key := heading_key(c)) and (key in ALIASES or key in override_keys)
    )


def find_heading_row(
    rows: Sequence[tuple[int, Sequence[str]]], overrides: Mapping[str, str] | None = None
) -> int:
    """Index (into ``rows``) of the heading row among the first rows; title lines are skipped."""
    best, best_score = -1, 1
    for index, (_number, cells) in enumerate(rows[:HEADING_SEARCH_ROWS]):
        score = heading_score(cells, overrides)
        if score > best_score:
            best, best_score = index, score
    if best < 0:
        raise ImportFileInvalid(
            reason=LazyText(
                N_('no heading row was found (such as "Số, ký hiệu", "Ngày", "Độ mật").')
            )
        )
    return best


def map_columns(
    headings: Sequence[str], overrides: Mapping[str, str] | None = None
) -> tuple[dict[int, str], list[str]]:
    """Column index -> field, from the headings and the user's COLUMN=FIELD overrides."""
    overrides = overrides or {}
    chosen: dict[int, str] = {}
    for index, heading in enumerate(headings):
        name = ALIASES.get(heading_key(heading))
        if name:
            chosen[index] = name
    for spec, name in overrides.items():
        matches = [i for i, h in enumerate(headings) if heading_key(h) == heading_key(spec)]
        if not matches and re.fullmatch(r"[A-Z]{1,2}", spec.strip()):
            matches = [i for i in range(max(len(headings), 702)) if column_letter(i) == spec]
        if not matches:
            raise ImportFileInvalid(
                reason=LazyText(N_("the file has no column {column}."), column=spec)
            )
        for index in matches:
            if name == IGNORE:
                chosen.pop(index, None)
            else:
                chosen[index] = name
    seen: dict[str, int] = {}
    for index in sorted(chosen):
        name = chosen[index]
        if name in seen:
            raise ImportFileInvalid(
                reason=LazyText(
                    N_(
                        "columns {first} and {second} both give the {field}; "
                        "choose one with --mapping."
                    ),
                    first=describe_column(seen[name], headings),
                    second=describe_column(index, headings),
                    field=field_label(name),
                )
            )
        seen[name] = index
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        raise ImportFileInvalid(
            reason=LazyText(
                N_("no column gives the {fields}. Headings found: {headings}."),
                fields=JoinedText([field_label(m) for m in missing], ", "),
                headings="; ".join(h.strip() for h in headings if h.strip()),
            )
        )
    ignored = [
        describe_column(i, headings)
        for i, h in enumerate(headings)
        if h.strip() and i not in chosen
    ]
    return chosen, ignored
