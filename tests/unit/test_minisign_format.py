"""minisign key and prehashed-signature formats over the unit key."""

from __future__ import annotations

import base64
import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secretdesk.crypto import minisign
from secretdesk.crypto.signing import generate_unit_key
from secretdesk.crypto.signing import verify as verify_ed25519

KEY = generate_unit_key()
OTHER = generate_unit_key()
PUB = minisign.public_key_file(KEY, "SecretDesk unit UBND01")
DATA = b"SHA256 (report.pdf) = " + b"0" * 64 + b"\n"
COMMENT = "unit=UBND01 kind=annual period=2026 seq=3"


def test_public_key_file_has_comment_and_ed_key_line() -> None:
    lines = PUB.split("\n")
    assert lines[0] == "untrusted comment: SecretDesk unit UBND01"
    raw = base64.b64decode(lines[1])
    assert raw == b"Ed" + KEY.key_id + KEY.public
    assert lines[2:] == [""]  # exactly two lines, each ending with a newline
    assert minisign.parse_public_key(PUB) == (KEY.key_id, KEY.public)


def test_signature_layout() -> None:
    text = minisign.sign_prehashed(KEY, DATA, COMMENT, "signature from unit")
    lines = text.split("\n")
    assert len(lines) == 5 and lines[4] == ""
    assert lines[0] == "untrusted comment: signature from unit"
    raw = base64.b64decode(lines[1])
    assert raw[:2] == b"ED" and raw[2:10] == KEY.key_id and len(raw) == 74
    assert lines[2] == f"trusted comment: {COMMENT}"
    prehash = hashlib.blake2b(DATA, digest_size=64).digest()
    assert verify_ed25519(KEY.public, raw[10:], prehash)
    global_signature = base64.b64decode(lines[3])
    assert verify_ed25519(KEY.public, global_signature, raw[10:] + COMMENT.encode())


def test_round_trip_returns_trusted_comment() -> None:
    text = minisign.sign_prehashed(KEY, DATA, COMMENT)
    assert minisign.verify(PUB, DATA, text) == COMMENT
    assert minisign.signature_key_id(text) == KEY.key_id


def test_crlf_line_endings_are_tolerated() -> None:
    text = minisign.sign_prehashed(KEY, DATA, COMMENT).replace("\n", "\r\n")
    assert minisign.verify(PUB.replace("\n", "\r\n"), DATA, text) == COMMENT


def test_changed_data_is_a_bad_signature() -> None:
    text = minisign.sign_prehashed(KEY, DATA, COMMENT)
    with pytest.raises(minisign.BadSignature):
        minisign.verify(PUB, DATA + b"x", text)


def test_edited_trusted_comment_is_detected() -> None:
    text = minisign.sign_prehashed(KEY, DATA, COMMENT)
    edited = text.replace("seq=3", "seq=4")
    with pytest.raises(minisign.BadTrustedComment):
        minisign.verify(PUB, DATA, edited)


def test_signature_by_another_key_is_a_key_mismatch() -> None:
    text = minisign.sign_prehashed(OTHER, DATA, COMMENT)
    with pytest.raises(minisign.KeyMismatch) as caught:
        minisign.verify(PUB, DATA, text)
    assert caught.value.signature_key_id == OTHER.key_id
    assert caught.value.public_key_id == KEY.key_id


def test_same_key_id_but_different_key_is_a_bad_signature() -> None:
    impostor = minisign.sign_prehashed(OTHER, DATA, COMMENT)
    lines = impostor.split("\n")
    raw = base64.b64decode(lines[1])
    lines[1] = base64.b64encode(raw[:2] + KEY.key_id + raw[10:]).decode()
    with pytest.raises(minisign.BadSignature):
        minisign.verify(PUB, DATA, "\n".join(lines))


def test_key_id_is_shown_as_minisign_prints_it() -> None:
    assert minisign.key_id_text(bytes.fromhex("0102030405060708")) == "0807060504030201"


def _mutations(text: str) -> list[str]:
    lines = text.split("\n")
    raw = base64.b64decode(lines[1])
    legacy = lines.copy()
    legacy[1] = base64.b64encode(b"Ed" + raw[2:]).decode()
    return [
        "",
        text[: len(text) // 2],  # truncated
        "\n".join(lines[:3]),  # global signature missing
        text.replace("untrusted comment:", "comment:"),
        text.replace("trusted comment: ", "trusted: "),
        text.replace(lines[1], lines[1][:-8]),  # short signature
        text.replace(lines[1], "!" + lines[1][1:]),  # not base64
        text.replace(lines[3], lines[3][:-4]),
        "\n".join(legacy),  # "Ed": not prehashed
        text + "extra line\n",
    ]


@pytest.mark.parametrize("index", range(10))
def test_malformed_signatures_are_refused(index: int) -> None:
    broken = _mutations(minisign.sign_prehashed(KEY, DATA, COMMENT))[index]
    with pytest.raises(minisign.MalformedSignature):
        minisign.verify(PUB, DATA, broken)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "untrusted comment: x\n",
        "comment: x\n" + PUB.split("\n")[1] + "\n",
        PUB.replace("RW", "QW", 1),  # algorithm bytes no longer "Ed"
        PUB[:-10] + "\n",
        PUB + "second key line\n",
    ],
    ids=["empty", "comment-only", "bad-comment", "not-ed", "cut", "two-lines"],  # keys are random
)
def test_malformed_public_keys_are_refused(text: str) -> None:
    with pytest.raises(minisign.MalformedKey):
        minisign.parse_public_key(text)


@pytest.mark.parametrize("comment", ["two\nlines", "carriage\rreturn", "nul\x00byte", "x" * 8001])
def test_trusted_comment_must_be_one_short_line(comment: str) -> None:
    with pytest.raises(ValueError):
        minisign.sign_prehashed(KEY, DATA, comment)


def test_untrusted_comments_must_be_one_line() -> None:
    with pytest.raises(ValueError):
        minisign.public_key_file(KEY, "a\nb")
    with pytest.raises(ValueError):
        minisign.sign_prehashed(KEY, DATA, COMMENT, "a\nb")


@settings(max_examples=40, deadline=None)
@given(
    data=st.binary(max_size=200),
    comment=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"),
        max_size=60,
    ),
)
def test_any_data_and_single_line_comment_round_trip(data: bytes, comment: str) -> None:
    text = minisign.sign_prehashed(KEY, data, comment)
    assert minisign.verify(PUB, data, text) == comment
