"""The code on a receipt slip: round trip, tolerance of scanners, tamper detection."""

from __future__ import annotations

import hashlib
import inspect

import pytest

from secretdesk.errors import SecretDeskError
from secretdesk.i18n import catalogue
from secretdesk.reports import errors
from secretdesk.reports.errors import InvalidSlipCode, SlipCodeMismatch
from secretdesk.reports.model import ChainHead
from secretdesk.reports.slip import slip_code_for
from secretdesk.reports.slipcode import SlipCode, decode_slip_code, encode_slip_code
from tests import report_samples as samples

HEAD = ChainHead(seq=4821, hash="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")


def test_code_format_and_check_value() -> None:
    code = encode_slip_code(2025, 42, HEAD)
    prefix = "SDH1|2025|42"
    expected = hashlib.sha256(f"{prefix}|4821:{HEAD.hash}".encode()).hexdigest()[:8]
    assert code == f"{prefix}|{expected}"


def test_round_trip() -> None:
    code = encode_slip_code(2025, 42, HEAD)
    assert decode_slip_code(code, HEAD) == SlipCode(2025, 42, code[-8:])
    assert str(decode_slip_code(code, HEAD)) == code


def test_scanner_whitespace_and_case_are_tolerated() -> None:
    code = encode_slip_code(2026, 7, HEAD)
    typed = "  " + code.upper().replace("SDH1", "sdh1") + "\r\n"
    assert decode_slip_code(typed, HEAD).number == 7


@pytest.mark.parametrize(
    "tamper",
    [
        lambda code: code.replace("|42|", "|43|"),  # another handover
        lambda code: code.replace("|2025|", "|2024|"),  # another year
        lambda code: code[:-1] + ("0" if code[-1] != "0" else "1"),  # a digit mistyped
    ],
)
def test_altered_codes_are_detected(tamper) -> None:  # type: ignore[no-untyped-def]
    code = tamper(encode_slip_code(2025, 42, HEAD))
    with pytest.raises(SlipCodeMismatch) as caught:
        decode_slip_code(code, HEAD)
    assert "không khớp" in caught.value.render("vi")


def test_a_slip_from_another_print_does_not_verify() -> None:
    code = encode_slip_code(2025, 42, HEAD)
    with pytest.raises(SlipCodeMismatch):
        decode_slip_code(code, ChainHead(HEAD.seq + 1, HEAD.hash))


@pytest.mark.parametrize(
    "text",
    ["", "SDH1|2025|42", "SDH2|2025|42|abcdef01", "SDH1|25|42|abcdef01", "SDH1|2025|0|abcdef01",
     "SDH1|2025|42|abcdef0g", "SDH1|2025|42|abcdef012", "Quyết định 42"],
)  # fmt: skip
def test_malformed_codes_are_refused(text: str) -> None:
    with pytest.raises(InvalidSlipCode):
        decode_slip_code(text, HEAD)


def test_code_printed_on_the_slip_uses_the_print_stamp() -> None:
    data = samples.slip_data()
    code = slip_code_for(data, samples.STAMP)
    assert decode_slip_code(code, samples.STAMP.chain_head).number == data.number


def test_every_report_error_has_a_vietnamese_message_with_the_same_placeholders() -> None:
    vietnamese = catalogue("vi")
    for _, cls in inspect.getmembers(errors, inspect.isclass):
        if issubclass(cls, SecretDeskError) and cls.__module__ == errors.__name__:
            assert cls.message in vietnamese, cls.__name__
            translated = vietnamese[cls.message]
            for name in ("{file}", "{problem}", "{kind}", "{on}", "{detail}", "{font}",
                         "{chars}", "{position}", "{text}", "{number}", "{year}"):  # fmt: skip
                assert (name in cls.message) == (name in translated), (cls.__name__, name)
