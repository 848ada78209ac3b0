"""Packages checked completely (issue 13): checkpoint.txt against the signature and the
report, every expected file, no key means a distinct exit code, hostile sizes and nesting,
and in an office batch each package judged alone."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from secretdesk.services.exports import (
    MAX_REPORT_DEPTH,
    ReportDisagrees,
    ReportUnreadable,
    checkpoint_text,
    verify_folder,
)
from secretdesk.transfer.layout import checksum_list, format_trusted_comment
from secretdesk.transfer.package import build_package, write_package
from secretdesk.transfer.verify import MAX_FILE_BYTES, FileTooLarge
from tests.helpers import run_cli
from tests.integration.test_office import World, unit_key


@pytest.fixture(name="world")
def world_fixture(tmp_path: Path) -> Iterator[World]:
    made = World(tmp_path)
    yield made
    made.close()


def pub_file(world: World) -> Path:
    path = world.base / "STP-QNG.pub"
    path.write_text(world.justice.exports.public_key_text(), encoding="utf-8")
    return path


def forge(world: World, genuine: Path, name: str, *, report=None, checkpoint=None, drop=()):  # type: ignore[no-untyped-def]
    """A package validly signed with the unit's key, with the files given."""
    report_bytes = report if report is not None else (genuine / "report.json").read_bytes()
    comment = (genuine / "SHA256SUMS.minisig").read_text(encoding="utf-8").split("\n")[2]
    comment = comment.removeprefix("trusted comment: ")
    files = {
        "report.pdf": (genuine / "report.pdf").read_bytes(),
        "report.json": report_bytes,
        "checkpoint.txt": checkpoint
        if checkpoint is not None
        else (genuine / "checkpoint.txt").read_bytes(),
    }
    for gone in drop:
        del files[gone]
    out = world.base / "forged"
    out.mkdir(exist_ok=True)
    return write_package(out, name, files, unit_key(world.justice), comment, unit_pub_comment="x")


def test_a_checkpoint_naming_another_unit_period_and_sequence_is_refused(world: World) -> None:
    genuine = world.export(world.justice)
    lying = checkpoint_text(
        {"unit": "CA-QNG", "kind": "annual", "period": "2025", "seq": 9, "head": "1:" + "0" * 64},
        "2026-11-02T08:30:00+00:00",
        world.justice.unit_info().key_fingerprint,
    )
    forged = forge(world, genuine, "SecretDesk_STP-QNG_annual_2026_1", checkpoint=lying)
    verdict = verify_folder(forged, key_file=pub_file(world))
    fields = {p.params["field"] for p in verdict.problems if isinstance(p, ReportDisagrees)}
    assert {"unit", "period", "seq", "chain_head", "tree_head"} <= fields
    assert all(p.file == "checkpoint.txt" for p in verdict.problems)
    world.trust(world.justice)
    outcome = world.office.office.import_packages([forged])[0]
    assert not outcome.accepted and "checkpoint.txt" in outcome.reason.render("en")  # type: ignore[union-attr]


@pytest.mark.parametrize("gone", ["checkpoint.txt", "report.pdf", "report.json"])
def test_every_expected_file_is_required(world: World, gone: str) -> None:
    genuine = world.export(world.justice)
    forged = forge(world, genuine, f"without-{gone}", drop=(gone,))
    verdict = verify_folder(forged, key_file=pub_file(world))
    assert [(type(p), p.file) for p in verdict.problems] == [(ReportUnreadable, gone)]


def test_verify_without_a_key_has_its_own_exit_code(world: World) -> None:
    genuine = world.export(world.justice)
    result = run_cli("--lang", "en", "verify", str(genuine))
    assert result.returncode == 3, result.stderr
    assert "Signature valid, key not pinned" in result.stdout
    pinned = run_cli("--lang", "en", "verify", str(genuine), "--key", str(pub_file(world)))
    assert pinned.returncode == 0


def test_a_signed_report_nested_200000_deep_is_refused_and_the_batch_goes_on(
    world: World,
) -> None:
    world.trust(world.justice)
    good = world.export(world.justice)
    report = json.loads((good / "report.json").read_text(encoding="utf-8"))
    text = json.dumps(report)
    deep = text[:-1] + ', "x": ' + "[" * 200_000 + "]" * 200_000 + "}"
    nested = forge(world, good, "SecretDesk_STP-QNG_annual_2026_2", report=deep.encode())
    shallow = (
        text[:-1] + ', "x": ' + "[" * (MAX_REPORT_DEPTH + 1) + "]" * (MAX_REPORT_DEPTH + 1) + "}"
    )
    medium = forge(world, good, "SecretDesk_STP-QNG_annual_2026_3", report=shallow.encode())
    for folder in (nested, medium):
        verdict = verify_folder(folder, key_file=pub_file(world))
        assert [type(p) for p in verdict.problems] == [ReportUnreadable]
        assert "nests deeper than" in verdict.describe("en")[0]
    outcomes = world.office.office.import_packages([nested, good, medium])
    assert [o.accepted for o in outcomes] == [False, True, False]
    assert "nests deeper" in outcomes[0].reason.render("en")  # type: ignore[union-attr]


def sparse(path: Path, size: int) -> None:
    with open(path, "wb") as handle:
        handle.truncate(size)


def test_an_unsigned_list_naming_a_3_gib_file_is_not_read(world: World, tmp_path: Path) -> None:
    package = tmp_path / "SecretDesk_STP-QNG_annual_2026_1"
    package.mkdir()
    sparse(package / "huge.pdf", 3 << 30)
    (package / "unit.pub").write_text(world.justice.exports.public_key_text(), encoding="utf-8")
    listing = checksum_list({"unit.pub": (package / "unit.pub").read_bytes()})
    (package / "SHA256SUMS").write_bytes(listing + b"SHA256 (huge.pdf) = " + b"0" * 64 + b"\n")
    started = time.perf_counter()
    verdict = verify_folder(package)
    assert time.perf_counter() - started < 2
    assert not verdict.ok
    assert "huge.pdf" not in {p.file for p in verdict.problems}  # never opened


def test_a_signed_list_naming_a_file_above_the_limit_is_refused_before_reading(
    world: World, tmp_path: Path
) -> None:
    genuine = world.export(world.justice)
    comment = format_trusted_comment({"unit": "STP-QNG", "kind": "annual", "period": "2026"})
    contents = build_package(
        {"report.pdf": b"small"}, unit_key(world.justice), comment, unit_pub_comment="x"
    )
    package = tmp_path / "big"
    package.mkdir()
    for name, data in contents.items():
        (package / name).write_bytes(data)
    sparse(package / "report.pdf", MAX_FILE_BYTES + 1)  # same name, now 1 GiB + 1
    started = time.perf_counter()
    verdict = verify_folder(package, key_file=pub_file(world))
    assert time.perf_counter() - started < 2
    assert [(type(p), p.file) for p in verdict.problems][:1] == [(FileTooLarge, "report.pdf")]
    assert os.path.getsize(package / "report.pdf") == MAX_FILE_BYTES + 1
    del genuine
