"""Packages checked completely (issue 13): checkpoint.txt against the signature and the
report, every expected file, no key means a distinct exit code, hostile sizes and nesting,
and in an office batch each package judged alone."""

from __future__ import annotations

import errno
import json
import os
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from secretdesk.app import App
from secretdesk.services.exports import (
    MAX_REPORT_DEPTH,
    MAX_SEQ,
    ReportDisagrees,
    ReportUnreadable,
    checkpoint_text,
    report_schema,
    schema_errors,
    verify_folder,
)
from secretdesk.services.office import (
    NotVerified,
    PackageInvalid,
    PackageUnreadable,
    SequenceGap,
    find_packages,
    format_range,
)
from secretdesk.services.office import imports as office_service
from secretdesk.transfer.layout import checksum_list, format_trusted_comment
from secretdesk.transfer.package import build_package, write_package
from secretdesk.transfer.verify import MAX_FILE_BYTES, FileTooLarge, verify_package
from tests.helpers import run_cli
from tests.integration import two_vaults
from tests.integration.test_office import World, unit_key
from tests.integration.two_vaults import export, resign, trust


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


@pytest.fixture
def stick_world(tmp_path: Path) -> Iterator[tuple[Path, App, App]]:
    yield from two_vaults.world(tmp_path)


# -- each package of an office batch judged alone; verification fails closed (review p09) ----
def test_an_unsigned_package_is_never_trusted_and_never_aborts_the_batch(
    stick_world: tuple[Path, App, App], tmp_path: Path
) -> None:
    out, justice, office = stick_world
    trust(office, justice)
    real = export(justice, out)
    forged = tmp_path / "SecretDesk_STP-QNG_annual_2026_7"
    forged.mkdir()
    for name in ("report.pdf", "report.json", "checkpoint.txt", "unit.pub", "SHA256SUMS"):
        (forged / name).write_bytes((real / name).read_bytes())
    (forged / "SHA256SUMS.minisig").write_text("untrusted comment: x\n")
    (forged / "SHA256.sig").write_text("untrusted comment: x\n")

    keyring = {u.code: u.public_key for u in office.office.trusted_units()}
    verdict = verify_package(forged, keyring=keyring)
    assert not verdict.ok and not verdict.trusted and verdict.signer is None
    assert {(p.code, p.file) for p in verdict.problems} == {
        ("package.signature_malformed", "SHA256SUMS.minisig"),
        ("package.signature_malformed", "SHA256.sig"),
    }
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "STP-QNG.pub").write_text(keyring["STP-QNG"])
    assert not verify_folder(forged, keyring_dir=keys).ok

    outcomes = office.office.import_packages([real, forged])
    assert [o.accepted for o in outcomes] == [True, False]
    assert isinstance(outcomes[1].reason, PackageInvalid)
    assert "SHA256.sig" in outcomes[1].reason.render("en")
    assert office.audit.verify().ok


def test_a_package_that_cannot_be_read_rejects_only_itself(
    stick_world: tuple[Path, App, App], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, justice, office = stick_world
    trust(office, justice)
    first, second, third = (export(justice, out) for _ in range(3))
    real_scandir = os.scandir
    real_check_report = office_service.check_report

    def unreadable(path: object) -> object:
        if Path(str(path)) == first:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_scandir(path)  # type: ignore[call-overload]

    def failing_stick(verdict, key):  # type: ignore[no-untyped-def]
        if verdict.folder == second:
            raise OSError(errno.EIO, "Input/output error")
        return real_check_report(verdict, key)

    monkeypatch.setattr(os, "scandir", unreadable)
    monkeypatch.setattr(office_service, "check_report", failing_stick)
    outcomes = office.office.import_packages([first, second, third])
    assert [o.accepted for o in outcomes] == [False, False, True]
    assert isinstance(outcomes[0].reason, PackageInvalid)
    assert "could not be read (Permission denied)" in outcomes[0].reason.render("en")
    assert isinstance(outcomes[1].reason, PackageUnreadable)
    assert "Input/output error" in outcomes[1].reason.render("en")
    assert outcomes[1].reason.render("vi").startswith("không đọc được gói dữ liệu")
    assert [type(w) for w in outcomes[2].warnings] == [SequenceGap]


def test_the_import_rejects_a_verdict_without_a_signer(
    stick_world: tuple[Path, App, App], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fail closed in the office too, whatever verify_package says."""
    out, justice, office = stick_world
    trust(office, justice)
    folder = export(justice, out)
    real_verify = office_service.verify_package

    def no_signer(folder, keyring):  # type: ignore[no-untyped-def]
        return replace(real_verify(folder, keyring=keyring), signer=None)

    monkeypatch.setattr(office_service, "verify_package", no_signer)
    (rejected,) = office.office.import_packages([folder])
    assert not rejected.accepted and isinstance(rejected.reason, NotVerified)


def test_find_packages_survives_an_unreadable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()

    def refused(self: Path) -> object:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", refused)
    assert find_packages([stick]) == [stick]


# -- a huge signed sequence number: a gap or a rejection, never a crash (review p07) ------
def test_the_schema_bounds_sequence_numbers() -> None:
    schema = report_schema()
    assert schema["properties"]["seq"]["maximum"] == MAX_SEQ == 2**53 - 1
    assert schema["$defs"]["chainHead"]["properties"]["seq"]["maximum"] == MAX_SEQ
    assert format_range(2, 2) == "2" and format_range(2, 10**15) == f"2-{10**15}"


def test_a_huge_sequence_number_is_a_gap_or_a_rejection_never_a_crash(
    stick_world: tuple[Path, App, App], tmp_path: Path
) -> None:
    out, justice, office = stick_world
    trust(office, justice)
    good = export(justice, out, kind="registers")
    genuine = export(justice, out)
    key = unit_key(justice)
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
    huge = resign(tmp_path / "a", genuine, key, code="STP-QNG", seq=10**15, name="huge")
    report = json.loads((huge / "report.json").read_text(encoding="utf-8"))
    assert schema_errors(report) == []
    too_big = resign(tmp_path / "b", genuine, key, code="STP-QNG", seq=2**53, name="too-big")
    odd = resign(tmp_path / "c", genuine, key, code="STP-QNG", seq="²", report_seq=2, name="odd")

    outcomes = office.office.import_packages([good, too_big, odd, huge])
    assert [o.accepted for o in outcomes] == [True, False, False, True]
    assert isinstance(outcomes[1].reason, PackageInvalid)
    assert "9007199254740991" in outcomes[1].reason.render("en")
    assert outcomes[1].seq is None and outcomes[2].seq is None
    (gap,) = outcomes[3].warnings
    assert f"packages 2-{10**15 - 1} of unit STP-QNG" in gap.render("en")
