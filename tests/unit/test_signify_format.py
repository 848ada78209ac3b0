"""signify embedded signatures over the unit key."""

from __future__ import annotations

import base64

import pytest

from secretdesk.crypto import minisign, signify
from secretdesk.crypto.signing import generate_unit_key
from secretdesk.crypto.signing import verify as verify_ed25519

KEY = generate_unit_key()
OTHER = generate_unit_key()
PUB = minisign.public_key_file(KEY, "SecretDesk unit UBND01")
MESSAGE = b"SHA256 (report.pdf) = " + b"a" * 64 + b"\nSHA256 (unit.pub) = " + b"b" * 64 + b"\n"


def test_embedded_layout() -> None:
    blob = signify.sign_embedded(KEY, MESSAGE, "verify with unit.pub")
    comment, signature_line, message = blob.split(b"\n", 2)
    assert comment == b"untrusted comment: verify with unit.pub"
    raw = base64.b64decode(signature_line)
    assert raw[:2] == b"Ed" and raw[2:10] == KEY.key_id and len(raw) == 74
    assert verify_ed25519(KEY.public, raw[10:], MESSAGE)  # over the whole message
    assert message == MESSAGE


def test_round_trip_returns_the_message() -> None:
    blob = signify.sign_embedded(KEY, MESSAGE)
    assert signify.verify_embedded(PUB, blob) == MESSAGE


def test_empty_and_binary_messages_round_trip() -> None:
    for message in (b"", b"\x00\xff\n\n\r\n"):
        assert signify.verify_embedded(PUB, signify.sign_embedded(KEY, message)) == message


def test_changed_message_is_a_bad_signature() -> None:
    blob = signify.sign_embedded(KEY, MESSAGE)
    with pytest.raises(minisign.BadSignature):
        signify.verify_embedded(PUB, blob.replace(b"a" * 64, b"c" * 64))
    with pytest.raises(minisign.BadSignature):
        signify.verify_embedded(PUB, blob + b"SHA256 (extra) = " + b"d" * 64 + b"\n")


def test_another_key_is_a_key_mismatch() -> None:
    blob = signify.sign_embedded(OTHER, MESSAGE)
    with pytest.raises(minisign.KeyMismatch):
        signify.verify_embedded(PUB, blob)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda blob: b"",
        lambda blob: blob[:30],  # cut inside the signature line
        lambda blob: blob.replace(b"untrusted comment: ", b"comment: ", 1),
        lambda blob: blob.split(b"\n", 1)[0],  # comment only
        lambda blob: b"\n".join(
            [blob.split(b"\n")[0], b"!!!!", *blob.split(b"\n")[2:]]
        ),  # not base64
        lambda blob: b"\n".join(
            [blob.split(b"\n")[0], blob.split(b"\n")[1][:-8], *blob.split(b"\n")[2:]]
        ),  # short
    ],
)
def test_malformed_embedded_signatures_are_refused(mutate) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(minisign.MalformedSignature):
        signify.verify_embedded(PUB, mutate(signify.sign_embedded(KEY, MESSAGE)))


def test_minisign_prehashed_signature_is_not_accepted_as_signify() -> None:
    minisig = minisign.sign_prehashed(KEY, MESSAGE, "x").encode()
    first_two = b"\n".join(minisig.split(b"\n")[:2]) + b"\n"
    with pytest.raises(minisign.MalformedSignature):
        signify.verify_embedded(PUB, first_two + MESSAGE)


def test_multi_line_comment_is_refused() -> None:
    with pytest.raises(ValueError):
        signify.sign_embedded(KEY, MESSAGE, "a\nb")
