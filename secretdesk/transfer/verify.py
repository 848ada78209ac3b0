"""Verifying a signed export package (DESIGN.md §5), as the receiving office does.

The verdict lists every problem found, each naming a file, rather than stopping at the
first: a clerk holding a stick wants to know everything that is wrong with it.

Which key is trusted:

- ``public_key_text``: the unit key pinned out of band (from the fingerprint on paper);
- ``keyring``: several pinned keys (label, such as a unit code -> public-key file text);
  every key whose key id a signature names is tried (key ids are not unique: a signer picks
  its own), and the label of the one that verifies both signatures is the verdict's signer;
- neither: the package's own ``unit.pub``. That only shows the package is intact, not who
  made it, so the verdict says ``key_pinned=False``.

Verification fails closed: a verdict is ``ok`` only when both signature files were actually
checked against a key and verified. When no key can be found for them, each signature file
gets a problem of its own (unknown key, unreadable signature, or no key to check it with).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from secretdesk.crypto import minisign, signify
from secretdesk.crypto.signing import fingerprint
from secretdesk.i18n import N_
from secretdesk.transfer.errors import (
    ChecksumsMalformed,
    EmbeddedListDiffers,
    FileChanged,
    FileMissing,
    FileUnreadable,
    IncompletePackage,
    NotListed,
    PackageNotFound,
    PackageProblem,
    PublicKeyInvalid,
    PublicKeyMalformed,
    SignatureInvalid,
    SignatureMalformed,
    SignedWithOtherKey,
    TrustedCommentAltered,
    TrustedCommentMalformed,
    UnexpectedFile,
    UnitKeySwapped,
    UnknownKey,
)
from secretdesk.transfer.layout import (
    CHECKSUMS,
    MINISIGN_SIGNATURE,
    SIGNATURE_FILES,
    SIGNIFY_SIGNATURE,
    UNIT_PUB,
    UNLISTED_FILES,
    is_staging_name,
    parse_checksum_list,
    parse_trusted_comment,
)

# Limits checked before reading: SHA256SUMS, its signatures and unit.pub are read whole;
# listed files are hashed as streams.
MAX_SIGNED_LIST_BYTES = 1 << 20
MAX_FILE_BYTES = 1 << 30


@dataclass(frozen=True)
class Verdict:
    """The outcome of verifying one package folder.

    ``ok``: intact and correctly signed by the key used. ``trusted``: ok *and* that key was
    pinned by the caller, which is what an importing office must require.
    """

    folder: Path
    problems: tuple[PackageProblem, ...]
    key_pinned: bool
    key_id: str | None = None  # as minisign prints it
    fingerprint: str | None = None  # of the key the signatures were checked with
    signer: str | None = None  # keyring label of that key
    trusted_comment: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)
    files: tuple[str, ...] = ()  # listed in SHA256SUMS

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def trusted(self) -> bool:
        return self.ok and self.key_pinned

    def describe(self, language: str | None = None) -> list[str]:
        return [problem.render(language) for problem in self.problems]


@dataclass(frozen=True)
class _Key:
    key_id: bytes
    public: bytes
    text: str = field(compare=False)  # the comment line may differ; the key may not


class FolderUnreadable(PackageProblem):
    code = "package.folder_unreadable"
    message = N_("The folder {file} could not be read ({reason}).")


class FileTooLarge(PackageProblem):
    code = "package.file_too_large"
    message = N_("{file} is larger than {limit} bytes: it was refused without being read.")


class SignatureUnchecked(PackageProblem):
    code = "package.signature_unchecked"
    message = N_("{file} could not be checked: there is no valid key to check it with.")


def verify_package(
    folder: Path,
    *,
    public_key_text: str | None = None,
    keyring: Mapping[str, str] | None = None,
) -> Verdict:
    """Verify a package folder; see the module docstring for the choice of key."""
    folder = Path(folder)
    try:
        is_folder = folder.is_dir()
    except OSError as error:  # the stick's folder above it cannot be read, for example
        problem = FolderUnreadable(file=folder.name, reason=error.strerror or str(error))
        return Verdict(
            folder, (problem,), key_pinned=public_key_text is not None or keyring is not None
        )
    if not is_folder:
        raise PackageNotFound(folder=folder)
    verdict = verify_contents(folder, public_key_text=public_key_text, keyring=keyring)
    if is_staging_name(folder.name):
        problems = (IncompletePackage(file=folder.name), *verdict.problems)
        verdict = replace(verdict, problems=problems)
    return verdict


def verify_contents(
    folder: Path,
    *,
    public_key_text: str | None = None,
    keyring: Mapping[str, str] | None = None,
) -> Verdict:
    """Verify what is in ``folder`` whatever the folder is called (the writer's read-back)."""
    if public_key_text is not None and keyring is not None:
        raise ValueError("give a public key or a keyring, not both")
    given = None if public_key_text is None else _given_key(public_key_text, "public key")
    ring = None
    if keyring is not None:
        ring = [(label, _given_key(text, label)) for label, text in keyring.items()]
    pinned = given is not None or ring is not None
    files = _PackageFiles(folder)
    if files.unreadable is not None:  # nothing else can be said about it
        return Verdict(folder=folder, problems=(files.unreadable,), key_pinned=pinned)
    problems = files.problems
    unit_key = _package_key(files)
    minisig = files.text(MINISIGN_SIGNATURE)
    embedded = files.read(SIGNIFY_SIGNATURE)
    checksums = files.read(CHECKSUMS)

    candidates: list[tuple[_Key, str | None]]
    if given is not None:
        candidates = [(given, None)]
    elif ring is not None:
        candidates = _keyring_candidates(ring, minisig, embedded)
    else:
        candidates = [] if unit_key is None else [(unit_key, None)]

    checks: _SignatureChecks | None = None
    if not candidates:
        problems.extend(_no_key_problems(ring is not None, minisig, embedded))
    elif checksums is not None:
        tried = [
            _check_signatures(key, label, checksums, minisig, embedded) for key, label in candidates
        ]
        checks = next((c for c in tried if c.verified), tried[0])
    expected = checks.key if checks is not None else (candidates[0][0] if candidates else None)
    if pinned and expected is not None and unit_key is not None and unit_key != expected:
        found, wanted = fingerprint(unit_key.public), fingerprint(expected.public)
        problems.append(UnitKeySwapped(file=UNIT_PUB, found=found, expected=wanted))
    if checks is not None:
        problems.extend(checks.problems)

    verified = checks is not None and checks.verified
    listed = _check_listed_files(files, checksums, hash_files=verified)
    if not verified and not problems:  # fail closed: never ok without both signatures
        problems.extend(SignatureUnchecked(file=name) for name in SIGNATURE_FILES)
    return Verdict(
        folder=folder,
        problems=tuple(problems),
        key_pinned=pinned,
        key_id=minisign.key_id_text(expected.key_id) if expected else None,
        fingerprint=fingerprint(expected.public) if expected else None,
        signer=checks.label if checks is not None and checks.verified else None,
        trusted_comment=checks.trusted_comment if checks is not None else None,
        fields=checks.fields if checks is not None else {},
        files=tuple(sorted(listed)),
    )


@dataclass
class _SignatureChecks:
    """Both signatures checked against one key."""

    key: _Key
    label: str | None
    problems: list[PackageProblem] = field(default_factory=list)
    trusted_comment: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    minisign_ok: bool = False
    signify_ok: bool = False

    @property
    def verified(self) -> bool:
        return self.minisign_ok and self.signify_ok and not self.problems


def _check_signatures(
    key: _Key, label: str | None, checksums: bytes, minisig: str | None, embedded: bytes | None
) -> _SignatureChecks:
    """A signature file that is ``None`` could not be read: that is reported already."""
    checks = _SignatureChecks(key, label)
    if minisig is not None:
        try:
            checks.trusted_comment = minisign.verify(key.text, checksums, minisig)
        except minisign.SignatureError as error:
            checks.problems.append(_signature_problem(error, MINISIGN_SIGNATURE))
        else:
            try:
                checks.fields = parse_trusted_comment(checks.trusted_comment)
                checks.minisign_ok = True
            except TrustedCommentMalformed as problem:
                checks.problems.append(problem)
    if embedded is not None:
        try:
            message = signify.verify_embedded(key.text, embedded)
        except minisign.SignatureError as error:
            checks.problems.append(_signature_problem(error, SIGNIFY_SIGNATURE))
        else:
            if message != checksums:
                checks.problems.append(EmbeddedListDiffers(file=SIGNIFY_SIGNATURE))
            else:
                checks.signify_ok = True
    return checks


class _PackageFiles:
    """The folder's entries, read once each; problems reading them are collected."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[PackageProblem] = []
        self.regular: set[str] = set()
        self.other: set[str] = set()  # folders, symbolic links, devices: never in a package
        self.unreadable: PackageProblem | None = None  # the folder itself cannot be listed
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    is_regular = entry.is_file(follow_symlinks=False)
                    (self.regular if is_regular else self.other).add(entry.name)
        except OSError as error:
            reason = error.strerror or str(error)
            self.unreadable = FolderUnreadable(file=folder.name, reason=reason)
            self.regular, self.other = set(), set()
        self._cache: dict[str, bytes | None] = {}

    @property
    def names(self) -> set[str]:
        return self.regular | self.other

    def read(self, name: str) -> bytes | None:
        if name not in self._cache:
            self._cache[name] = self._read(name)
        return self._cache[name]

    def text(self, name: str) -> str | None:
        data = self.read(name)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            self.problems.append(SignatureMalformed(file=name))
            return None

    def _read(self, name: str) -> bytes | None:
        if name in self.other:
            self.problems.append(FileChanged(file=name))
            return None
        if name not in self.regular:
            self.problems.append(FileMissing(file=name))
            return None
        try:
            with open(self.folder / name, "rb") as handle:
                if os.fstat(handle.fileno()).st_size > MAX_SIGNED_LIST_BYTES:
                    self.problems.append(FileTooLarge(file=name, limit=MAX_SIGNED_LIST_BYTES))
                    return None
                data = handle.read(MAX_SIGNED_LIST_BYTES + 1)
        except OSError as error:
            self.problems.append(FileUnreadable(file=name, reason=error.strerror or str(error)))
            return None
        if len(data) > MAX_SIGNED_LIST_BYTES:  # it grew while being read
            self.problems.append(FileTooLarge(file=name, limit=MAX_SIGNED_LIST_BYTES))
            return None
        return data

    def digest(self, name: str) -> str | None:
        """SHA-256 of a listed file, read as a stream; its size is checked before reading."""
        if name in self.other:
            self.problems.append(FileChanged(file=name))
            return None
        if name not in self.regular:
            self.problems.append(FileMissing(file=name))
            return None
        hasher = hashlib.sha256()
        try:
            with open(self.folder / name, "rb") as handle:
                if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
                    self.problems.append(FileTooLarge(file=name, limit=MAX_FILE_BYTES))
                    return None
                read = 0
                while chunk := handle.read(1 << 20):
                    read += len(chunk)
                    if read > MAX_FILE_BYTES:
                        self.problems.append(FileTooLarge(file=name, limit=MAX_FILE_BYTES))
                        return None
                    hasher.update(chunk)
        except OSError as error:
            self.problems.append(FileUnreadable(file=name, reason=error.strerror or str(error)))
            return None
        return hasher.hexdigest()


def _package_key(files: _PackageFiles) -> _Key | None:
    data = files.read(UNIT_PUB)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
        key_id, public = minisign.parse_public_key(text)
    except (UnicodeDecodeError, minisign.MalformedKey):
        files.problems.append(PublicKeyMalformed(file=UNIT_PUB))
        return None
    return _Key(key_id, public, text)


def _given_key(text: str, name: str) -> _Key:
    key = _parsed_key(text)
    if key is None:
        raise PublicKeyInvalid(name=name)
    return key


@lru_cache(maxsize=8192)
def _parsed_key(text: str) -> _Key | None:
    """A pinned key parsed once per process, not once per package: an office of 500 units
    checks each of 5,000 packages against a keyring of 500 keys."""
    try:
        key_id, public = minisign.parse_public_key(text)
    except minisign.MalformedKey:
        return None
    return _Key(key_id, public, text)


def _minisign_key_id(minisig: str | None) -> bytes | None:
    """The key id a minisign signature names (checked later), or None if unreadable."""
    try:
        return None if minisig is None else minisign.signature_key_id(minisig)
    except minisign.MalformedSignature:
        return None


def _signify_key_id(embedded: bytes | None) -> bytes | None:
    try:
        return None if embedded is None else signify.embedded_parts(embedded)[0]
    except minisign.MalformedSignature:
        return None


def _keyring_candidates(
    ring: list[tuple[str, _Key]], minisig: str | None, embedded: bytes | None
) -> list[tuple[_Key, str | None]]:
    """Every pinned key whose key id one of the signatures names, in keyring order."""
    claimed = [_minisign_key_id(minisig), _signify_key_id(embedded)]
    return [
        (key, label)
        for key_id in dict.fromkeys(k for k in claimed if k is not None)
        for label, key in ring
        if key.key_id == key_id
    ]


def _no_key_problems(
    from_keyring: bool, minisig: str | None, embedded: bytes | None
) -> list[PackageProblem]:
    """No key to check the signatures with: each signature file that could be read says why.

    (A signature file that could not be read has its problem already.)
    """
    problems: list[PackageProblem] = []
    for name, content, key_id in (
        (MINISIGN_SIGNATURE, minisig, _minisign_key_id(minisig)),
        (SIGNIFY_SIGNATURE, embedded, _signify_key_id(embedded)),
    ):
        if content is None:
            continue
        if key_id is None:
            problems.append(SignatureMalformed(file=name))
        elif from_keyring:
            problems.append(UnknownKey(file=name, key_id=minisign.key_id_text(key_id)))
        else:
            problems.append(SignatureUnchecked(file=name))
    return problems


def _signature_problem(error: minisign.SignatureError, file: str) -> PackageProblem:
    if isinstance(error, minisign.KeyMismatch):
        return SignedWithOtherKey(
            file=file,
            found=minisign.key_id_text(error.signature_key_id),
            expected=minisign.key_id_text(error.public_key_id),
        )
    if isinstance(error, minisign.BadTrustedComment):
        return TrustedCommentAltered(file=file)
    if isinstance(error, minisign.BadSignature):
        return SignatureInvalid(file=file)
    return SignatureMalformed(file=file)


def _check_listed_files(
    files: _PackageFiles, checksums: bytes | None, *, hash_files: bool
) -> dict[str, str]:
    """Hash every listed file; report files missing, changed, or present but not listed.

    Listed files are read only once the signatures over SHA256SUMS held (``hash_files``):
    an unsigned or forged list never makes the verifier read what it names."""
    if checksums is None:
        return {}
    try:
        listed = parse_checksum_list(checksums)
    except ChecksumsMalformed as problem:
        files.problems.append(problem)
        return {}
    if UNIT_PUB not in listed:
        files.problems.append(NotListed(file=UNIT_PUB))
    for name, digest in sorted(listed.items()):
        if not hash_files:
            if name not in files.names:
                files.problems.append(FileMissing(file=name))
            continue
        found = files.digest(name)
        if found is not None and found != digest:
            files.problems.append(FileChanged(file=name))
    for name in sorted(files.names - listed.keys() - UNLISTED_FILES):
        files.problems.append(UnexpectedFile(file=name))
    return listed
