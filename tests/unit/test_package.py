"""Writing and verifying signed export packages: tampering, refusals and injected faults."""

from __future__ import annotations

import ast
import errno
import os
import re
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from secretdesk.crypto import minisign, signify
from secretdesk.crypto.signing import UnitKey, generate_unit_key
from secretdesk.i18n import read_po, translate
from secretdesk.resources import resource_path
from secretdesk.transfer import errors
from secretdesk.transfer.layout import (
    format_trusted_comment,
    parse_checksum_list,
    parse_trusted_comment,
)
from secretdesk.transfer.package import FileOps, build_package, format_size, write_package
from secretdesk.transfer.verify import Verdict, verify_package

KEY = generate_unit_key()
OTHER = generate_unit_key()
PUB = minisign.public_key_file(KEY, "SecretDesk unit UBND01")
FILES = {
    "report.pdf": b"%PDF-1.4\n% placeholder\n%%EOF\n",
    "report.json": b'{"format_version": 1}\n',
    "checkpoint.txt": b"seq=42\n",
}
FIELDS = {"unit": "UBND01", "kind": "annual", "period": "2026", "seq": "3", "head": "42:abcd"}
COMMENT = format_trusted_comment(FIELDS)
NAME = "SecretDesk_UBND01_annual_2026_3"
ALL_FILES = {*FILES, "unit.pub", "SHA256SUMS", "SHA256SUMS.minisig", "SHA256.sig"}
# make_folder; create, write, fsync, close, rename per file; fsync_folder, rename, fsync_folder
STEPS = 1 + 5 * len(ALL_FILES) + 3
COMMIT = STEPS - 1  # the rename of the staging folder to the final name


def _write(
    parent: Path, *, key: UnitKey = KEY, ops: FileOps | None = None, name: str = NAME
) -> Path:
    return write_package(parent, name, FILES, key, COMMENT, unit_pub_comment="unit", ops=ops)


def _problems(verdict: Verdict) -> set[tuple[str, str]]:
    return {(problem.code, problem.file) for problem in verdict.problems}


def _named(verdict: Verdict, file: str) -> bool:
    """Some problem's message names ``file``, in English and in Vietnamese."""
    return any(file in p.render("en") and file in p.render("vi") for p in verdict.problems)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return _write(tmp_path)


# --- writing ---------------------------------------------------------------------------------


def test_written_package_has_the_designed_layout(tmp_path: Path, package: Path) -> None:
    assert package == tmp_path / NAME
    assert {path.name for path in package.iterdir()} == ALL_FILES
    assert os.listdir(tmp_path) == [NAME]  # no staging folder or temporary file left
    for name, data in FILES.items():
        assert (package / name).read_bytes() == data
    assert (package / "unit.pub").read_text() == minisign.public_key_file(KEY, "unit")
    sums = (package / "SHA256SUMS").read_text()
    names = re.findall(r"^SHA256 \((.+)\) = [0-9a-f]{64}$", sums, re.MULTILINE)
    assert names == sorted([*FILES, "unit.pub"])
    assert sums.endswith("\n") and len(sums.splitlines()) == 4
    embedded = (package / "SHA256.sig").read_bytes()
    assert signify.verify_embedded(PUB, embedded) == sums.encode()


def test_written_package_verifies_with_the_pinned_key(package: Path) -> None:
    verdict = verify_package(package, public_key_text=PUB)
    assert verdict.ok and verdict.trusted and verdict.key_pinned
    assert verdict.fields == FIELDS
    assert verdict.trusted_comment == COMMENT
    assert verdict.key_id == minisign.key_id_text(KEY.key_id)
    assert verdict.files == ("checkpoint.txt", "report.json", "report.pdf", "unit.pub")


def test_without_a_pinned_key_the_verdict_says_so(package: Path) -> None:
    verdict = verify_package(package)
    assert verdict.ok and not verdict.key_pinned and not verdict.trusted


def test_keyring_picks_the_key_by_key_id(package: Path) -> None:
    other_pub = minisign.public_key_file(OTHER, "other")
    verdict = verify_package(package, keyring={"UBND02": other_pub, "UBND01": PUB})
    assert verdict.trusted and verdict.signer == "UBND01"
    unknown = verify_package(package, keyring={"UBND02": other_pub})
    assert _problems(unknown) == {
        ("package.unknown_key", "SHA256SUMS.minisig"),
        ("package.unknown_key", "SHA256.sig"),
    }
    assert minisign.key_id_text(KEY.key_id) in unknown.describe("en")[0]
    assert not unknown.ok and unknown.signer is None


def _forge_unsigned(folder: Path, minisig: bytes, embedded: bytes) -> None:
    """Files and a correct SHA256SUMS, but signature files that are not signatures."""
    (folder / "SHA256SUMS.minisig").write_bytes(minisig)
    (folder / "SHA256.sig").write_bytes(embedded)


@pytest.mark.parametrize(
    ("minisig", "embedded"),
    [
        (b"untrusted comment: x\n", b"untrusted comment: x\n"),
        (b"", b""),
        (b"\xff\xfe", b"garbage"),
    ],
)
def test_unreadable_signatures_never_verify_with_a_keyring(
    package: Path, minisig: bytes, embedded: bytes
) -> None:
    """Review p09: no key can be chosen, so both signature files must say why (fail closed)."""
    _forge_unsigned(package, minisig, embedded)
    other_pub = minisign.public_key_file(OTHER, "other")
    for keyring in ({"UBND01": PUB}, {"UBND02": other_pub, "UBND01": PUB}):
        verdict = verify_package(package, keyring=keyring)
        assert not verdict.ok and not verdict.trusted and verdict.signer is None
        assert {p.file for p in verdict.problems} == {"SHA256SUMS.minisig", "SHA256.sig"}
        assert {p.code for p in verdict.problems} == {"package.signature_malformed"}
    for verdict in (verify_package(package, public_key_text=PUB), verify_package(package)):
        assert not verdict.ok
        assert {p.file for p in verdict.problems} == {"SHA256SUMS.minisig", "SHA256.sig"}


def test_one_unreadable_signature_is_enough_to_fail_with_a_keyring(package: Path) -> None:
    (package / "SHA256.sig").write_text("untrusted comment: x\n")
    verdict = verify_package(package, keyring={"UBND01": PUB})
    assert _problems(verdict) == {("package.signature_malformed", "SHA256.sig")}
    assert not verdict.trusted and verdict.signer is None


def test_keyring_tries_every_key_with_the_claimed_key_id(package: Path) -> None:
    """Key ids are chosen by the key's owner: another unit may claim ours."""
    impostor = UnitKey(OTHER.private, OTHER.public, KEY.key_id)
    impostor_pub = minisign.public_key_file(impostor, "impostor")
    for keyring in (
        {"UBND09": impostor_pub, "UBND01": PUB},
        {"UBND01": PUB, "UBND09": impostor_pub},
    ):
        verdict = verify_package(package, keyring=keyring)
        assert verdict.trusted and verdict.signer == "UBND01", verdict.describe("en")
    only_impostor = verify_package(package, keyring={"UBND09": impostor_pub})
    assert not only_impostor.ok and only_impostor.signer is None
    assert ("package.bad_signature", "SHA256SUMS.minisig") in _problems(only_impostor)


def test_without_any_key_the_signatures_are_reported_unchecked(package: Path) -> None:
    (package / "unit.pub").write_text("not a key\n")
    verdict = verify_package(package)
    assert not verdict.ok
    assert {
        ("package.signature_unchecked", "SHA256SUMS.minisig"),
        ("package.signature_unchecked", "SHA256.sig"),
    } <= _problems(verdict)


def test_an_unreadable_folder_is_one_problem(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review p06: a folder that cannot be listed is reported, not raised."""
    real_scandir = os.scandir

    def refused(path: object) -> object:
        if Path(str(path)) == package:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", refused)
    verdict = verify_package(package, public_key_text=PUB)
    assert _problems(verdict) == {("package.folder_unreadable", package.name)}
    assert "Permission denied" in verdict.describe("en")[0]
    assert package.name in verdict.describe("vi")[0]


def test_build_package_orders_the_signatures_last() -> None:
    contents = build_package(FILES, KEY, COMMENT, unit_pub_comment="unit")
    assert list(contents)[-3:] == ["SHA256SUMS", "SHA256SUMS.minisig", "SHA256.sig"]


def test_existing_package_is_never_overwritten(tmp_path: Path, package: Path) -> None:
    before = {path.name: path.read_bytes() for path in package.iterdir()}
    with pytest.raises(errors.PackageExists) as caught:
        _write(tmp_path, key=OTHER)
    assert "Nothing was exported" in str(caught.value)
    assert {path.name: path.read_bytes() for path in package.iterdir()} == before
    (tmp_path / "plain-file").write_bytes(b"x")
    with pytest.raises(errors.PackageExists):
        _write(tmp_path, name="plain-file")


def test_missing_parent_is_refused(tmp_path: Path) -> None:
    with pytest.raises(errors.TargetMissing):
        _write(tmp_path / "absent")


@pytest.mark.parametrize("name", ["", "../up", "a/b", ".hidden", "x.partial-1", "a b", "é"])
def test_unsafe_folder_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(errors.PackageNameInvalid):
        _write(tmp_path, name=name)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "files",
    [
        {"unit.pub": b"x"},
        {"SHA256SUMS": b"x"},
        {"../escape": b"x"},
        {"sub/dir": b"x"},
        {"a(1).pdf": b"x"},
        {"Report.pdf": b"x", "report.pdf": b"y"},  # the same file on FAT
    ],
)
def test_unsafe_file_names_are_refused(tmp_path: Path, files: dict[str, bytes]) -> None:
    with pytest.raises(errors.PackageNameInvalid):
        write_package(tmp_path, NAME, files, KEY, COMMENT, unit_pub_comment="unit")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    "comment", ["unit=A\nseq=2", "free text", "unit=A  seq=2", "unit=A unit=B"]
)
def test_trusted_comment_must_be_one_line_of_fields(tmp_path: Path, comment: str) -> None:
    with pytest.raises(errors.TrustedCommentInvalid):
        write_package(tmp_path, NAME, FILES, KEY, comment, unit_pub_comment="unit")
    assert os.listdir(tmp_path) == []


def test_unit_pub_comment_must_be_one_line(tmp_path: Path) -> None:
    with pytest.raises(errors.TrustedCommentInvalid):
        write_package(tmp_path, NAME, FILES, KEY, COMMENT, unit_pub_comment="a\nb")
    assert os.listdir(tmp_path) == []


def test_trusted_comment_fields_round_trip() -> None:
    fields = {"unit": "UBND01", "seq": 3, "head": "42:ab=="}
    text = format_trusted_comment(fields)
    assert text == "unit=UBND01 seq=3 head=42:ab=="
    assert parse_trusted_comment(text) == {"unit": "UBND01", "seq": "3", "head": "42:ab=="}
    for bad in ({"Unit": "x"}, {"unit": "a b"}, {"unit": ""}, {"unit": "a\tb"}):
        with pytest.raises(errors.TrustedCommentInvalid):
            format_trusted_comment(bad)
    for text in ("", "unit", "unit=", "=x", "unit=a  seq=1", "unit=a unit=b"):
        with pytest.raises(errors.TrustedCommentMalformed):
            parse_trusted_comment(text)


class _SmallDisk(FileOps):
    def free_space(self, path: Path) -> tuple[int, int]:
        return 200_000, 32_768


def test_free_space_is_checked_first(tmp_path: Path) -> None:
    with pytest.raises(errors.NotEnoughSpace) as caught:
        _write(tmp_path, ops=_SmallDisk())
    message = caught.value.render("en")
    assert "262.1 kB" in message and "200.0 kB" in message  # 8 blocks of 32 KiB needed
    assert "Nothing was exported" in message
    assert os.listdir(tmp_path) == []
    assert "200.0 kB" in caught.value.render("vi")


def test_sizes_read_well() -> None:
    assert [format_size(n) for n in (512, 1_500, 2_345_678, 3 * 10**9)] == [
        "512 B",
        "1.5 kB",
        "2.3 MB",
        "3.0 GB",
    ]


# --- tampering -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ALL_FILES))
def test_flipped_byte_in_any_file_is_detected(package: Path, name: str) -> None:
    path = package / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    verdict = verify_package(package, public_key_text=PUB)
    assert not verdict.ok
    assert _named(verdict, name), verdict.describe("en")


@pytest.mark.parametrize("extra", ["notes.txt", ".DS_Store", "SHA256SUMS.asc"])
def test_added_file_is_detected(package: Path, extra: str) -> None:
    (package / extra).write_bytes(b"x")
    verdict = verify_package(package, public_key_text=PUB)
    assert _problems(verdict) == {("package.unexpected_file", extra)}


def test_added_folder_and_symlink_are_detected(package: Path) -> None:
    (package / "sub").mkdir()
    (package / "link").symlink_to("report.pdf")
    verdict = verify_package(package, public_key_text=PUB)
    assert _problems(verdict) == {
        ("package.unexpected_file", "sub"),
        ("package.unexpected_file", "link"),
    }


def test_file_replaced_by_a_symlink_is_detected(package: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(FILES["report.pdf"])
    (package / "report.pdf").unlink()
    (package / "report.pdf").symlink_to(outside)
    verdict = verify_package(package, public_key_text=PUB)
    assert _problems(verdict) == {("package.hash_mismatch", "report.pdf")}


@pytest.mark.parametrize("name", sorted(ALL_FILES))
def test_removed_file_is_detected(package: Path, name: str) -> None:
    (package / name).unlink()
    verdict = verify_package(package, public_key_text=PUB)
    assert ("package.file_missing", name) in _problems(verdict)


def test_renamed_file_is_detected(package: Path) -> None:
    (package / "report.pdf").rename(package / "report.PDF")
    verdict = verify_package(package, public_key_text=PUB)
    assert _problems(verdict) == {
        ("package.file_missing", "report.pdf"),
        ("package.unexpected_file", "report.PDF"),
    }


def test_renamed_signature_is_detected(package: Path) -> None:
    (package / "SHA256SUMS.minisig").rename(package / "SHA256SUMS.sig")
    verdict = verify_package(package, public_key_text=PUB)
    assert _problems(verdict) == {
        ("package.file_missing", "SHA256SUMS.minisig"),
        ("package.unexpected_file", "SHA256SUMS.sig"),
    }


def test_edited_trusted_comment_is_detected(package: Path) -> None:
    path = package / "SHA256SUMS.minisig"
    path.write_text(path.read_text().replace("seq=3", "seq=2"))
    verdict = verify_package(package, public_key_text=PUB)
    assert _problems(verdict) == {("package.trusted_comment_altered", "SHA256SUMS.minisig")}
    assert verdict.fields == {} and verdict.trusted_comment is None


def test_package_signed_by_another_key_is_rejected(tmp_path: Path) -> None:
    swapped = _write(tmp_path, key=OTHER)
    verdict = verify_package(swapped, public_key_text=PUB)
    assert _problems(verdict) == {
        ("package.unit_key_swapped", "unit.pub"),
        ("package.key_mismatch", "SHA256SUMS.minisig"),
        ("package.key_mismatch", "SHA256.sig"),
    }


def test_swapped_unit_pub_alone_is_rejected(package: Path) -> None:
    (package / "unit.pub").write_text(minisign.public_key_file(OTHER, "unit"))
    pinned = verify_package(package, public_key_text=PUB)
    assert _problems(pinned) == {
        ("package.unit_key_swapped", "unit.pub"),
        ("package.hash_mismatch", "unit.pub"),
    }
    unpinned = verify_package(package)
    assert ("package.key_mismatch", "SHA256SUMS.minisig") in _problems(unpinned)


def test_unit_pub_comment_may_differ_from_the_pinned_copy(package: Path) -> None:
    pinned_elsewhere = minisign.public_key_file(KEY, "pinned by the supervising office")
    assert verify_package(package, public_key_text=pinned_elsewhere).trusted


@pytest.mark.parametrize("name", ["SHA256SUMS.minisig", "SHA256.sig"])
@pytest.mark.parametrize("keep", [0, 10, 40, 100, 150])
def test_truncated_signature_is_detected(package: Path, name: str, keep: int) -> None:
    path = package / name
    path.write_bytes(path.read_bytes()[:keep])
    verdict = verify_package(package, public_key_text=PUB)
    assert not verdict.ok
    assert {p.file for p in verdict.problems} == {name}


def test_re_signed_list_with_a_path_outside_the_folder_is_refused(package: Path) -> None:
    sums = (package / "SHA256SUMS").read_bytes() + b"SHA256 (../x) = " + b"0" * 64 + b"\n"
    (package / "SHA256SUMS").write_bytes(sums)
    (package / "SHA256SUMS.minisig").write_text(minisign.sign_prehashed(KEY, sums, COMMENT))
    (package / "SHA256.sig").write_bytes(signify.sign_embedded(KEY, sums))
    verdict = verify_package(package, public_key_text=PUB)
    assert _problems(verdict) == {("package.checksums_malformed", "SHA256SUMS")}
    with pytest.raises(errors.ChecksumsMalformed):
        parse_checksum_list(sums)


def test_signify_message_must_equal_the_checksum_list(package: Path) -> None:
    other_list = b"SHA256 (unit.pub) = " + b"0" * 64 + b"\n"
    (package / "SHA256.sig").write_bytes(signify.sign_embedded(KEY, other_list))
    verdict = verify_package(package, public_key_text=PUB)
    assert _problems(verdict) == {("package.signify_mismatch", "SHA256.sig")}


def test_untrusted_comments_are_not_part_of_the_signature(package: Path) -> None:
    """By the minisign/signify design: editing them changes nothing that is trusted."""
    path = package / "SHA256.sig"
    path.write_bytes(path.read_bytes().replace(b"verify with", b"check with"))
    assert verify_package(package, public_key_text=PUB).trusted


def test_staging_folder_never_verifies(package: Path) -> None:
    staging = package.rename(package.with_name(f".{NAME}.partial-0123456789ab"))
    verdict = verify_package(staging, public_key_text=PUB)
    assert _problems(verdict) == {("package.incomplete", staging.name)}


def test_verify_refuses_bad_arguments(tmp_path: Path, package: Path) -> None:
    with pytest.raises(errors.PackageNotFound):
        verify_package(tmp_path / "absent")
    with pytest.raises(ValueError):
        verify_package(package, public_key_text=PUB, keyring={"x": PUB})
    with pytest.raises(errors.PublicKeyInvalid):
        verify_package(package, public_key_text="not a key")
    with pytest.raises(errors.PublicKeyInvalid):
        verify_package(package, keyring={"UBND09": "not a key"})


# --- faults while writing --------------------------------------------------------------------


class SimulatedKill(BaseException):
    """The process died: nothing after this point runs, not even clean-up."""


class FaultyOps(FileOps):
    """Counts the write steps and fails at step ``fail_at``, before or after doing it."""

    def __init__(
        self,
        fail_at: int = 0,
        fault: Callable[[], BaseException] | None = None,
        *,
        after: bool = False,
        kill: bool = False,
    ) -> None:
        self.fail_at, self.fault, self.after, self.kill = fail_at, fault, after, kill
        self.steps: list[str] = []
        self.dead = False

    def _step(self, name: str, action: Callable[[], object]) -> object:
        if self.dead:
            raise SimulatedKill
        self.steps.append(name)
        failing = len(self.steps) == self.fail_at
        if failing and not self.after:
            self._fail()
        result = action()
        if failing:
            self._fail()
        return result

    def _fail(self) -> None:
        if self.kill:
            self.dead = True
            raise SimulatedKill
        assert self.fault is not None
        raise self.fault()

    def make_folder(self, path: Path) -> None:
        self._step("make_folder", lambda: super(FaultyOps, self).make_folder(path))

    def create(self, path: Path) -> int:
        return self._step("create", lambda: super(FaultyOps, self).create(path))  # type: ignore[return-value]

    def write(self, fd: int, data: bytes) -> None:
        self._step("write", lambda: super(FaultyOps, self).write(fd, data))

    def fsync(self, fd: int) -> None:
        self._step("fsync", lambda: super(FaultyOps, self).fsync(fd))

    def close(self, fd: int) -> None:
        self._step("close", lambda: super(FaultyOps, self).close(fd))

    def rename(self, source: Path, target: Path) -> None:
        self._step("rename", lambda: super(FaultyOps, self).rename(source, target))

    def fsync_folder(self, path: Path) -> None:
        self._step("fsync_folder", lambda: super(FaultyOps, self).fsync_folder(path))

    def remove_tree(self, path: Path) -> None:
        if self.dead:
            raise SimulatedKill
        super().remove_tree(path)


def _no_verifying_package_under_the_final_name(parent: Path) -> None:
    target = parent / NAME
    assert not target.exists()
    for leftover in parent.iterdir():  # a staging folder, if anything
        assert verify_package(leftover, public_key_text=PUB).problems


def test_write_steps_are_counted(tmp_path: Path) -> None:
    ops = FaultyOps()
    _write(tmp_path, ops=ops)
    per_file = ["create", "write", "fsync", "close", "rename"]
    assert ops.steps == [
        "make_folder",
        *per_file * len(ALL_FILES),
        "fsync_folder",  # the staging folder, before reading back
        "rename",  # the commit
        "fsync_folder",  # the parent
    ]


@pytest.mark.parametrize(
    ("code", "error_type"),
    [(errno.ENOSPC, errors.MediumFull), (errno.EIO, errors.MediumError)],
)
@pytest.mark.parametrize("after", [False, True])
def test_io_error_at_any_step_exports_nothing(
    tmp_path: Path, code: int, error_type: type[errors.ExportFailed], after: bool
) -> None:
    for step in range(1, STEPS + 1):
        parent = tmp_path / f"step{step}"
        parent.mkdir()
        ops = FaultyOps(step, lambda: OSError(code, os.strerror(code)), after=after)
        with pytest.raises(error_type) as caught:
            _write(parent, ops=ops)
        assert "Nothing was exported" in caught.value.render("en")
        assert caught.value.params["leftover"] is None
        assert os.listdir(parent) == [], (step, ops.steps[-1])


@pytest.mark.parametrize("after", [False, True])
def test_kill_at_any_step_never_leaves_a_package_half_made(tmp_path: Path, after: bool) -> None:
    for step in range(1, STEPS + 1):
        parent = tmp_path / f"step{step}"
        parent.mkdir()
        with pytest.raises(SimulatedKill):
            _write(parent, ops=FaultyOps(step, kill=True, after=after))
        if step > COMMIT or (step == COMMIT and after):
            # Killed after the commit rename: the complete package is there, and valid.
            assert verify_package(parent / NAME, public_key_text=PUB).trusted
            assert [p.name for p in parent.iterdir()] == [NAME]
        else:
            _no_verifying_package_under_the_final_name(parent)


def test_interrupt_cleans_up_and_propagates(tmp_path: Path) -> None:
    ops = FaultyOps(12, KeyboardInterrupt)
    with pytest.raises(KeyboardInterrupt):
        _write(tmp_path, ops=ops)
    assert os.listdir(tmp_path) == []


class _Corrupting(FileOps):
    """A stick that silently stores a wrong byte in one file."""

    def __init__(self, victim: str) -> None:
        self.victim = victim
        self.fds: set[int] = set()

    def create(self, path: Path) -> int:
        fd = super().create(path)
        if path.name.startswith(self.victim + ".part-"):
            self.fds.add(fd)
        return fd

    def write(self, fd: int, data: bytes) -> None:
        if fd in self.fds:
            data = data[:-1] + bytes([data[-1] ^ 0x20])
        super().write(fd, data)

    def close(self, fd: int) -> None:
        self.fds.discard(fd)
        super().close(fd)


@pytest.mark.parametrize("victim", ["report.pdf", "unit.pub", "SHA256SUMS", "SHA256.sig"])
def test_read_back_catches_a_corrupting_stick(tmp_path: Path, victim: str) -> None:
    with pytest.raises(errors.ReadBackFailed) as caught:
        _write(tmp_path, ops=_Corrupting(victim))
    assert victim in caught.value.render("en")
    assert victim in caught.value.render("vi")
    assert os.listdir(tmp_path) == []


def _eio() -> OSError:
    return OSError(errno.EIO, "Input/output error")


class _Unremovable(FaultyOps):
    def remove_tree(self, path: Path) -> None:
        raise OSError(errno.EIO, "Input/output error")


def test_unremovable_partial_folder_is_reported_and_never_verifies(tmp_path: Path) -> None:
    ops = _Unremovable(STEPS - 2, _eio)
    with pytest.raises(errors.MediumError) as caught:
        _write(tmp_path, ops=ops)  # fails on fsync of the complete staging folder
    leftover = caught.value.params["leftover"]
    assert leftover is not None and leftover.name.startswith(f".{NAME}.partial-")
    assert str(leftover) in caught.value.render("en")
    assert str(leftover) in caught.value.render("vi")
    assert os.listdir(tmp_path) == [leftover.name]
    verdict = verify_package(leftover, public_key_text=PUB)
    assert ("package.incomplete", leftover.name) in _problems(verdict)


class _StuckAfterCommit(FaultyOps):
    """The parent fsync fails after the commit, and the stick then refuses every rename."""

    def rename(self, source: Path, target: Path) -> None:
        if self.steps and self.steps[-1] == "fsync_folder" and len(self.steps) >= self.fail_at:
            raise OSError(errno.EIO, "Input/output error")
        super().rename(source, target)


def test_failure_after_commit_removes_the_package_or_says_so(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    with pytest.raises(errors.MediumError) as caught:
        _write(first, ops=FaultyOps(STEPS, _eio))
    assert caught.value.params["leftover"] is None
    assert os.listdir(first) == []  # un-committed, then removed

    with pytest.raises(errors.MediumError) as caught:
        _write(second, ops=_StuckAfterCommit(STEPS, _eio))
    assert caught.value.params["leftover"] == second / NAME
    assert "do not hand it over" in caught.value.render("en")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_real_sigkill_at_every_step(tmp_path: Path) -> None:
    """A forked child SIGKILLs itself at step k: no finally block, no clean-up runs."""

    class KillSelf(FileOps):
        def __init__(self, at: int) -> None:
            self.at, self.count = at, 0

        def _tick(self) -> None:
            self.count += 1
            if self.count == self.at:
                os.kill(os.getpid(), signal.SIGKILL)

        def make_folder(self, path: Path) -> None:
            self._tick()
            super().make_folder(path)

        def create(self, path: Path) -> int:
            self._tick()
            return super().create(path)

        def write(self, fd: int, data: bytes) -> None:
            self._tick()
            super().write(fd, data)

        def fsync(self, fd: int) -> None:
            self._tick()
            super().fsync(fd)

        def close(self, fd: int) -> None:
            self._tick()
            super().close(fd)

        def rename(self, source: Path, target: Path) -> None:
            self._tick()
            super().rename(source, target)

        def fsync_folder(self, path: Path) -> None:
            self._tick()
            super().fsync_folder(path)

    for step in range(1, STEPS + 2):  # the last one is never reached: a clean run
        parent = tmp_path / f"step{step}"
        parent.mkdir()
        pid = os.fork()
        if pid == 0:  # the child: must leave through os._exit or the kill
            try:
                _write(parent, ops=KillSelf(step))
                os._exit(0)
            finally:
                os._exit(3)
        _, status = os.waitpid(pid, 0)
        if step <= STEPS:
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        else:
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        if step > COMMIT:  # killed at the parent fsync: the rename was done
            assert verify_package(parent / NAME, public_key_text=PUB).trusted
        else:
            _no_verifying_package_under_the_final_name(parent)


# --- messages and boundaries -----------------------------------------------------------------


def _declared_messages() -> list[str]:
    source = Path(errors.__file__).read_text(encoding="utf-8")
    return [
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_"
    ]


def test_every_transfer_message_has_a_vietnamese_translation() -> None:
    po_path = resource_path("locale", "vi", "LC_MESSAGES", "transfer.po")
    catalogue = dict(read_po(po_path.read_text(encoding="utf-8")))
    for message in _declared_messages():
        assert catalogue.get(message), message
        placeholders = sorted(re.findall(r"\{\w+\}", message))
        assert sorted(re.findall(r"\{\w+\}", catalogue[message])) == placeholders, message
        assert translate(message, "vi") != message


def test_transfer_imports_no_crypto_library_and_no_network_module() -> None:
    forbidden = {"cryptography", "socket", "ssl", "http", "urllib", "ftplib", "asyncio"}
    package_dir = Path(errors.__file__).parent
    for path in package_dir.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {(node.module or "").split(".")[0]}
            else:
                continue
            assert not roots & forbidden, (path.name, roots)
