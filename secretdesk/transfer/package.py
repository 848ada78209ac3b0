"""Writing a signed export package to a removable volume (DESIGN.md §5).

The package is first written into a hidden staging folder (``.<name>.partial-<random>``),
which never verifies: each file goes to a temporary name, is fsynced, then renamed; the
signatures are written last; the folder is fsynced; every file is read back (page cache
dropped first where the system allows it) and verified. Only then is the folder renamed to
its final name and the parent fsynced. A crash or a pulled stick at any step leaves either
no package or a staging folder, never a half-written package under the final name; the one
exception is a kill after that final rename, which leaves the complete, valid package.

On any failure the staging folder is removed (best effort) and an ``ExportFailed`` says that
nothing was exported and what to do.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from secretdesk.crypto import minisign, signify
from secretdesk.crypto.signing import UnitKey
from secretdesk.system.atomic import fsync_directory, temporary_name
from secretdesk.transfer.errors import (
    ExportFailed,
    MediumError,
    MediumFull,
    MediumNotWritable,
    NotEnoughSpace,
    PackageExists,
    PackageNameInvalid,
    ReadBackFailed,
    TargetMissing,
    TrustedCommentInvalid,
    TrustedCommentMalformed,
    WriteFailed,
)
from secretdesk.transfer.layout import (
    CHECKSUMS,
    MINISIGN_SIGNATURE,
    RESERVED_NAMES,
    SIGNIFY_SIGNATURE,
    UNIT_PUB,
    check_name,
    checksum_list,
    parse_trusted_comment,
    staging_name,
)
from secretdesk.transfer.verify import verify_contents

FILE_MODE = 0o600
FOLDER_MODE = 0o700
FALLBACK_BLOCK_SIZE = 128 * 1024  # exFAT's cluster size on large sticks


class FileOps:
    """The low-level steps of writing a package, one method per system call.

    Tests pass a subclass that fails (or kills the process) at a chosen step.
    """

    def make_folder(self, path: Path) -> None:
        os.mkdir(path, FOLDER_MODE)

    def create(self, path: Path) -> int:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        return os.open(path, flags, FILE_MODE)

    def write(self, fd: int, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def close(self, fd: int) -> None:
        os.close(fd)

    def rename(self, source: Path, target: Path) -> None:
        os.rename(source, target)

    def fsync_folder(self, path: Path) -> None:
        fsync_directory(path)

    def drop_cache(self, path: Path) -> None:
        """Best effort: make the read-back come from the medium, not from memory."""
        if not hasattr(os, "posix_fadvise"):
            return
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)

    def remove_tree(self, path: Path) -> None:
        shutil.rmtree(path)

    def free_space(self, path: Path) -> tuple[int, int]:
        """(bytes free, allocation block size) of the file system holding ``path``."""
        free = shutil.disk_usage(path).free
        block = os.statvfs(path).f_bsize if hasattr(os, "statvfs") else FALLBACK_BLOCK_SIZE
        return free, max(block, 512)


def build_package(
    files: Mapping[str, bytes],
    key: UnitKey,
    trusted_comment: str,
    *,
    unit_pub_comment: str,
) -> dict[str, bytes]:
    """Every file of the package, in writing order: the signatures come last."""
    for name in files:
        if name in RESERVED_NAMES:
            raise PackageNameInvalid(name=name)
        check_name(name)
    if len({name.lower() for name in files}) != len(files):  # FAT ignores case
        raise PackageNameInvalid(name=", ".join(sorted(files)))
    try:
        parse_trusted_comment(trusted_comment)
        minisign.check_comment(trusted_comment, minisign.TRUSTED_COMMENT_MAX_BYTES)
    except (TrustedCommentMalformed, ValueError):
        raise TrustedCommentInvalid(field=trusted_comment) from None
    try:
        public_key = minisign.public_key_file(key, unit_pub_comment).encode("utf-8")
    except ValueError:
        raise TrustedCommentInvalid(field=unit_pub_comment) from None
    listed = {**{name: files[name] for name in sorted(files)}, UNIT_PUB: public_key}
    checksums = checksum_list(listed)
    minisig = minisign.sign_prehashed(key, checksums, trusted_comment)
    return {
        **listed,
        CHECKSUMS: checksums,
        MINISIGN_SIGNATURE: minisig.encode("utf-8"),
        SIGNIFY_SIGNATURE: signify.sign_embedded(key, checksums),
    }


def write_package(
    parent_dir: Path,
    folder_name: str,
    files: Mapping[str, bytes],
    key: UnitKey,
    trusted_comment: str,
    *,
    unit_pub_comment: str,
    ops: FileOps | None = None,
) -> Path:
    """Write, read back and verify a package folder; return its path (see module docstring)."""
    ops = ops or FileOps()
    parent = Path(parent_dir)
    check_name(folder_name)
    contents = build_package(files, key, trusted_comment, unit_pub_comment=unit_pub_comment)
    target = parent / folder_name
    _precheck(ops, parent, folder_name, contents)

    staging = parent / staging_name(folder_name)
    committing = False
    try:
        ops.make_folder(staging)
        for name, data in contents.items():
            _write_file(ops, staging / name, data)
        ops.fsync_folder(staging)
        _read_back(ops, staging, contents)
        if os.path.lexists(target):  # appeared meanwhile: never replace a package
            raise PackageExists(name=folder_name, target=parent)
        committing = True
        ops.rename(staging, target)
        ops.fsync_folder(parent)
    except BaseException as error:
        # A rename that reported an error may still have happened.
        committed = committing and not os.path.lexists(staging)
        leftover = _discard(ops, staging, target if committed else None)
        if not isinstance(error, Exception):  # interrupted: clean up, then let it through
            raise
        raise _export_error(error, parent, leftover) from error
    return target


def format_size(size: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


def precheck(
    parent_dir: Path,
    folder_name: str,
    files: Mapping[str, bytes],
    key: UnitKey,
    trusted_comment: str,
    *,
    unit_pub_comment: str,
    ops: FileOps | None = None,
) -> None:
    """What ``write_package`` checks before writing anything (folder, name, space, write
    access), for a caller that must not take a sequence number for a package that would be
    refused anyway."""
    check_name(folder_name)
    contents = build_package(files, key, trusted_comment, unit_pub_comment=unit_pub_comment)
    _precheck(ops or FileOps(), Path(parent_dir), folder_name, contents)


def _precheck(ops: FileOps, parent: Path, folder_name: str, contents: Mapping[str, bytes]) -> None:
    try:
        if not parent.is_dir():
            raise TargetMissing(target=parent)
        if os.path.lexists(parent / folder_name):
            raise PackageExists(name=folder_name, target=parent)
        if not os.access(parent, os.W_OK):
            raise OSError(errno.EACCES, os.strerror(errno.EACCES))
        _check_free_space(ops, parent, contents)
    except (ExportFailed, OSError) as error:
        raise _export_error(error, parent, None) from error


def _check_free_space(ops: FileOps, parent: Path, contents: Mapping[str, bytes]) -> None:
    free, block = ops.free_space(parent)
    blocks = 1 + sum(max(1, -(-len(data) // block)) for data in contents.values())
    needed = blocks * block
    if needed > free:
        raise NotEnoughSpace(target=parent, needed=format_size(needed), available=format_size(free))


def _write_file(ops: FileOps, final: Path, data: bytes) -> None:
    temporary = temporary_name(final)
    fd = ops.create(temporary)
    try:
        ops.write(fd, data)
        ops.fsync(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            ops.close(fd)
        raise
    ops.close(fd)
    ops.rename(temporary, final)


def _read_back(ops: FileOps, staging: Path, contents: Mapping[str, bytes]) -> None:
    for name in contents:
        ops.drop_cache(staging / name)
    public_key_text = contents[UNIT_PUB].decode("utf-8")
    verdict = verify_contents(staging, public_key_text=public_key_text)
    if not verdict.ok:
        raise ReadBackFailed(target=staging.parent, problem=verdict.problems[0])


def _discard(ops: FileOps, staging: Path, committed: Path | None) -> Path | None:
    """Remove a failed export; return what could not be removed."""
    if committed is not None:
        try:
            ops.rename(committed, staging)  # un-commit first: the final name must go
        except OSError:
            return committed
    try:
        ops.remove_tree(staging)
    except OSError:
        return staging if os.path.lexists(staging) else None
    return None


def _export_error(error: BaseException, target: Path, leftover: Path | None) -> ExportFailed:
    if isinstance(error, ExportFailed):
        return type(error)(**{**error.params, "leftover": leftover})
    if not isinstance(error, OSError):
        return WriteFailed(target=target, reason=repr(error), leftover=leftover)
    reason = error.strerror or str(error)
    if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return MediumFull(target=target, leftover=leftover)
    if error.errno in (errno.EIO, errno.ENXIO, errno.ENODEV):
        return MediumError(target=target, reason=reason, leftover=leftover)
    if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return MediumNotWritable(target=target, reason=reason, leftover=leftover)
    return WriteFailed(target=target, reason=reason, leftover=leftover)
