"""Refusals of an export and problems the no-vault verification adds to a verdict."""

from __future__ import annotations

from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, translate
from secretdesk.transfer.errors import PackageProblem


class ExportRefused(SecretDeskError):
    code = "export.refused"
    message = N_("{reason} Nothing was exported.")


class NotRemovable(SecretDeskError):
    code = "export.not_removable"
    message = N_(
        "{target} is not on a removable volume (USB stick). Plug in a stick and choose a "
        "folder on it, or, if you really mean this folder, choose it explicitly (--folder). "
        "Nothing was exported."
    )


class ExportNotRecorded(SecretDeskError):
    code = "export.not_recorded"
    message = N_(
        "The package {folder} was written but could not be recorded in the register "
        "({detail}). It was removed: export again."
    )
    left_note = N_(
        "The package {folder} was written but could not be recorded in the register "
        "({detail}), and it could not be removed: delete it, do not hand it over, then "
        "export again."
    )

    def render(self, language: str | None = None) -> str:
        if self.params.get("left"):
            return translate(self.left_note, language).format(**self.params)
        return super().render(language)


class KeyFileUnusable(SecretDeskError):
    code = "verify.key_file"
    message = N_("The key {path} cannot be used: {reason}")


# Problems added to a verification verdict (each names a file, like the transfer ones).


class UnitLabelMismatch(PackageProblem):
    code = "package.unit_mismatch"
    message = N_(
        "{file}: the package says it comes from unit {claimed}, but it is signed with the "
        "key pinned for unit {signer}."
    )
