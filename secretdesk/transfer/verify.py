"""Verifying a signed export package (DESIGN.md §5), as the receiving office does.

The verdict lists every problem found, each naming a file, rather than stopping at the
first: a clerk holding a stick wants to know everything that is wrong with it.

Which key is trusted:

- ``public_key_text``: the unit key pinned out of band (from the fingerprint on paper);
- ``keyring``: several pinned keys (label, such as a unit code -> public-key file text);
  the one whose key id the signature names is used, and its label is the verdict's signer;
- neither: the package's own ``unit.pub``. That only shows the package is intact, not who
  made it, so the verdict says ``key_pinned=False``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from secretdesk.crypto import minisign, signify
from secretdesk.crypto.signing import fingerprint
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
    SIGNIFY_SIGNATURE,
    UNIT_PUB,
    UNLISTED_FILES,
    is_staging_name,
    parse_checksum_list,
    parse_trusted_comment,
)


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


def verify_package(
    folder: Path,
    *,
    public_key_text: str | None = None,
    keyring: Mapping[str, str] | None = None,
) -> Verdict:
    """Verify a package folder; see the module docstring for the choice of key."""
    folder = Path(folder)
    if not folder.is_dir():
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
    files = _PackageFiles(folder)
    problems = files.problems
    unit_key = _package_key(files)
    minisig = files.text(MINISIGN_SIGNATURE)
    embedded = files.read(SIGNIFY_SIGNATURE)
    checksums = files.read(CHECKSUMS)

    signer: str | None = None
    expected: _Key | None
    if public_key_text is not None:
        expected = _given_key(public_key_text, "public key")
    elif keyring is not None:
        expected, signer = _keyring_key(keyring, _claimed_key_id(minisig, embedded), problems)
    else:
        expected = unit_key
    pinned = public_key_text is not None or keyring is not None
    if pinned and expected is not None and unit_key is not None and unit_key != expected:
        found, wanted = fingerprint(unit_key.public), fingerprint(expected.public)
        problems.append(UnitKeySwapped(file=UNIT_PUB, found=found, expected=wanted))

    trusted_comment: str | None = None
    fields: dict[str, str] = {}
    if expected is not None and checksums is not None:
        if minisig is not None:
            try:
                trusted_comment = minisign.verify(expected.text, checksums, minisig)
            except minisign.SignatureError as error:
                problems.append(_signature_problem(error, MINISIGN_SIGNATURE))
            else:
                try:
                    fields = parse_trusted_comment(trusted_comment)
                except TrustedCommentMalformed as problem:
                    problems.append(problem)
        if embedded is not None:
            try:
                message = signify.verify_embedded(expected.text, embedded)
            except minisign.SignatureError as error:
                problems.append(_signature_problem(error, SIGNIFY_SIGNATURE))
            else:
                if message != checksums:
                    problems.append(EmbeddedListDiffers(file=SIGNIFY_SIGNATURE))

    listed = _check_listed_files(files, checksums)
    return Verdict(
        folder=folder,
        problems=tuple(problems),
        key_pinned=pinned,
        key_id=minisign.key_id_text(expected.key_id) if expected else None,
        fingerprint=fingerprint(expected.public) if expected else None,
        signer=signer,
        trusted_comment=trusted_comment,
        fields=fields,
        files=tuple(sorted(listed)),
    )


class _PackageFiles:
    """The folder's entries, read once each; problems reading them are collected."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[PackageProblem] = []
        self.regular: set[str] = set()
        self.other: set[str] = set()  # folders, symbolic links, devices: never in a package
        with os.scandir(folder) as entries:
            for entry in entries:
                is_regular = entry.is_file(follow_symlinks=False)
                (self.regular if is_regular else self.other).add(entry.name)
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
            return (self.folder / name).read_bytes()
        except OSError as error:
            self.problems.append(FileUnreadable(file=name, reason=error.strerror or str(error)))
            return None


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
    try:
        key_id, public = minisign.parse_public_key(text)
    except minisign.MalformedKey:
        raise PublicKeyInvalid(name=name) from None
    return _Key(key_id, public, text)


def _claimed_key_id(minisig: str | None, embedded: bytes | None) -> bytes | None:
    """The key id the signatures name (checked later), to pick a key from a keyring."""
    try:
        if minisig is not None:
            return minisign.signature_key_id(minisig)
    except minisign.MalformedSignature:
        pass
    try:
        if embedded is not None:
            return signify.embedded_parts(embedded)[0]
    except minisign.MalformedSignature:
        pass
    return None


def _keyring_key(
    keyring: Mapping[str, str], claimed: bytes | None, problems: list[PackageProblem]
) -> tuple[_Key | None, str | None]:
    keys = {label: _given_key(text, label) for label, text in keyring.items()}
    if claimed is None:  # both signatures unreadable: already reported
        return None, None
    for label, key in keys.items():
        if key.key_id == claimed:
            return key, label
    problems.append(UnknownKey(file=MINISIGN_SIGNATURE, key_id=minisign.key_id_text(claimed)))
    return None, None


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


def _check_listed_files(files: _PackageFiles, checksums: bytes | None) -> dict[str, str]:
    """Hash every listed file; report files missing, changed, or present but not listed."""
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
        data = files.read(name)
        if data is not None and hashlib.sha256(data).hexdigest() != digest:
            files.problems.append(FileChanged(file=name))
    for name in sorted(files.names - listed.keys() - UNLISTED_FILES):
        files.problems.append(UnexpectedFile(file=name))
    return listed
