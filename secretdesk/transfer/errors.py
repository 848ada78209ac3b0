"""Errors and package problems of the transfer layer, each with a stable code.

A ``PackageProblem`` is both an error (it can be raised) and an entry in a verification
verdict: each one names the file it is about in ``params["file"]``. Export errors say that
nothing was exported and what the user can do.
"""

from __future__ import annotations

from typing import Any

from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, translate


class TransferError(SecretDeskError):
    """Base of transfer errors; a parameter that is itself an error is rendered in place."""

    code = "transfer"
    message = N_("The transfer failed.")

    def render(self, language: str | None = None) -> str:
        params: dict[str, Any] = {
            name: value.render(language) if isinstance(value, SecretDeskError) else value
            for name, value in self.params.items()
        }
        return translate(self.message, language).format(**params)


# --- Problems found when verifying a package (each names a file) ---------------------------


class PackageProblem(TransferError):
    code = "package.problem"
    message = N_("{file}: the package is not valid.")

    @property
    def file(self) -> str:
        return str(self.params.get("file", ""))


class IncompletePackage(PackageProblem):
    code = "package.incomplete"
    message = N_(
        "{file} is an unfinished export (a staging folder): it was never completed. Delete it."
    )


class FileMissing(PackageProblem):
    code = "package.file_missing"
    message = N_("{file} is missing from the package (removed or renamed).")


class UnexpectedFile(PackageProblem):
    code = "package.unexpected_file"
    message = N_("{file} is not part of the signed package (added or renamed).")


class FileChanged(PackageProblem):
    code = "package.hash_mismatch"
    message = N_("{file} was changed after signing: its SHA-256 does not match SHA256SUMS.")


class FileUnreadable(PackageProblem):
    code = "package.file_unreadable"
    message = N_("{file} could not be read ({reason}).")


class NotListed(PackageProblem):
    code = "package.not_listed"
    message = N_("{file} is not listed in SHA256SUMS.")


class ChecksumsMalformed(PackageProblem):
    code = "package.checksums_malformed"
    message = N_("{file}, line {line}: not a valid line of the form SHA256 (name) = hex.")


class PublicKeyMalformed(PackageProblem):
    code = "package.public_key_malformed"
    message = N_("{file} is not a valid public key file.")


class UnitKeySwapped(PackageProblem):
    code = "package.unit_key_swapped"
    message = N_(
        "{file} holds a different key (fingerprint {found}) than the expected unit key "
        "(fingerprint {expected})."
    )


class UnknownKey(PackageProblem):
    code = "package.unknown_key"
    message = N_("{file} was signed with key {key_id}, which is not among the known unit keys.")


class SignatureMalformed(PackageProblem):
    code = "package.signature_malformed"
    message = N_("{file} is damaged or truncated: it is not a readable signature.")


class SignedWithOtherKey(PackageProblem):
    code = "package.key_mismatch"
    message = N_("{file} was signed with key {found}, not with the expected unit key {expected}.")


class SignatureInvalid(PackageProblem):
    code = "package.bad_signature"
    message = N_("The signature in {file} does not match: SHA256SUMS or {file} was altered.")


class TrustedCommentAltered(PackageProblem):
    code = "package.trusted_comment_altered"
    message = N_("The trusted comment in {file} was altered after signing.")


class TrustedCommentMalformed(PackageProblem):
    code = "package.trusted_comment_malformed"
    message = N_("The trusted comment in {file} is not a list of key=value fields.")


class EmbeddedListDiffers(PackageProblem):
    code = "package.signify_mismatch"
    message = N_("The checksum list signed in {file} differs from SHA256SUMS.")


# --- Errors raised to the caller -----------------------------------------------------------


class PackageNotFound(TransferError):
    code = "package.not_found"
    message = N_("{folder} is not a folder: there is no package to verify there.")


class PublicKeyInvalid(TransferError):
    code = "package.key_invalid"
    message = N_("The public key {name} is not a valid minisign/signify public key.")


class PackageNameInvalid(TransferError):
    code = "export.invalid_name"
    message = N_(
        "{name} cannot be used as a name in a package: use letters, digits, '.', '_' and '-'."
    )


class TrustedCommentInvalid(TransferError):
    code = "export.invalid_comment"
    message = N_("The package description cannot be signed: {field} is not a valid field.")


class ExportFailed(TransferError):
    """Writing a package failed; nothing was exported. ``leftover`` names a folder left behind."""

    code = "export.failed"
    message = N_("Exporting to {target} failed. Nothing was exported.")
    leftover_note = N_(
        "The unfinished folder {leftover} could not be removed: delete it, do not hand it over."
    )

    def render(self, language: str | None = None) -> str:
        text = super().render(language)
        leftover = self.params.get("leftover")
        if leftover:
            text += " " + translate(self.leftover_note, language).format(leftover=leftover)
        return text


class TargetMissing(ExportFailed):
    code = "export.target_missing"
    message = N_("{target} does not exist or is not a folder. Nothing was exported.")


class PackageExists(ExportFailed):
    code = "export.package_exists"
    message = N_(
        "A package named {name} already exists in {target}; packages are never overwritten. "
        "Nothing was exported."
    )


class NotEnoughSpace(ExportFailed):
    code = "export.not_enough_space"
    message = N_(
        "Not enough free space on {target}: the package needs {needed}, only {available} is "
        "free. Nothing was exported. Free some space or use another stick."
    )


class MediumFull(ExportFailed):
    code = "export.disk_full"
    message = N_(
        "{target} became full while the package was written. Nothing was exported. "
        "Free some space or use another stick, then export again."
    )


class MediumError(ExportFailed):
    code = "export.io_error"
    message = N_(
        "The stick at {target} reported a read/write error ({reason}). Nothing was exported. "
        "The stick may be faulty or was pulled out: check it, or use another stick."
    )


class MediumNotWritable(ExportFailed):
    code = "export.not_writable"
    message = N_(
        "{target} cannot be written to ({reason}). Nothing was exported. Check that the stick "
        "is not write-protected, or choose another folder."
    )


class WriteFailed(ExportFailed):
    code = "export.write_failed"
    message = N_(
        "Writing the package to {target} failed ({reason}). Nothing was exported. "
        "Check the stick, or try another one."
    )


class ReadBackFailed(ExportFailed):
    code = "export.verify_failed"
    message = N_(
        "The package written to {target} did not verify when read back: {problem} "
        "Nothing was exported. The stick may be faulty: try another stick."
    )


# --- Removable media -----------------------------------------------------------------------


class UnsafeTargetPath(TransferError):
    code = "media.unsafe_path"
    message = N_(
        "The path {path} leads outside the removable volume {volume}. Choose a folder on the "
        "stick itself."
    )


class EjectFailed(TransferError):
    code = "media.eject_failed"
    message = N_(
        "The stick {device} could not be ejected safely ({detail}). Close every window or "
        "program using it, then try again."
    )
