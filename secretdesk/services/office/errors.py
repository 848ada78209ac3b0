"""Refusals of trust, reasons a package is rejected, and warnings of the office."""

from __future__ import annotations

from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, translate


class TrustRefused(SecretDeskError):
    code = "office.trust_refused"
    message = N_("The key was not pinned: {reason}")


class UntrustRefused(SecretDeskError):
    code = "office.untrust_refused"
    message = N_("The key was not retired: {reason}")


class FingerprintMismatch(SecretDeskError):
    code = "office.fingerprint_mismatch"
    message = N_(
        "The key was not pinned: the fingerprint typed from the paper report ({typed}) is not "
        "the fingerprint of this key ({actual}). Check the paper report and the key file; do "
        "not import this unit's packages until they agree."
    )


class ImportCancelled(SecretDeskError):
    """Not imported: the import was cancelled before this package was stored."""

    code = "office.import_cancelled"
    message = N_(
        "not imported: the import was cancelled before this package was stored. Nothing of "
        "it was kept; import it again later."
    )


class UnknownUnitKey(SecretDeskError):
    code = "office.unknown_key"
    message = N_(
        "unknown unit key: the package is signed with key {key_id}, which no pinned unit has. "
        "Pin the unit's key first (office trust), checking its fingerprint on the paper report."
    )


class PackageInvalid(SecretDeskError):
    code = "office.package_invalid"
    message = N_("the package is not valid:")

    def render(self, language: str | None = None) -> str:
        problems = self.params.get("problems", ())
        lines = [
            problem.render(language) if isinstance(problem, SecretDeskError) else str(problem)
            for problem in problems
        ]
        return " ".join([translate(self.message, language), *lines])


class PackageUnreadable(SecretDeskError):
    code = "office.package_unreadable"
    message = N_("the package could not be read ({reason}). Check the stick and import it again.")


class NotVerified(SecretDeskError):
    code = "office.not_verified"
    message = N_("the package was not verified with the key of a pinned unit.")


class UnitClaimMismatch(SecretDeskError):
    code = "office.unit_mismatch"
    message = N_(
        "the package says it comes from unit {claimed}, but it is signed with the key of unit "
        "{signer}."
    )


class AlreadyImported(SecretDeskError):
    code = "office.replay"
    message = N_("replay: package {seq} of unit {unit} was already imported on {at}.")


class OlderThanLatest(SecretDeskError):
    code = "office.replay_older"
    message = N_(
        "replay: package {seq} of unit {unit} is older than package {highest}, already "
        "received. Packages are accepted in order only."
    )


class UnitRolledBack(SecretDeskError):
    code = "office.unit_rolled_back"
    message = N_(
        "WARNING - DATABASE ROLLED BACK: package {seq} of unit {unit} carries audit-chain head "
        "{head}, not later than head {previous} of its package {previous_seq} already received. "
        "The unit's register was restored from an older copy (or copied to another computer). "
        "Inspect the unit before accepting anything more from it."
    )


class HistoryRewritten(SecretDeskError):
    code = "office.history_rewritten"
    message = N_(
        "WARNING - history rewritten or rolled back since package {previous_seq}: package {seq} "
        "of unit {unit} carries audit tree head {head}, and {detail} The unit's audit log no "
        "longer extends the one signed in package {previous_seq} (head {previous}): events were "
        "removed, changed or lost (an older copy restored). Inspect the unit before accepting "
        "anything more from it."
    )


class FiguresContradict(SecretDeskError):
    code = "office.figures_contradict"
    message = N_("The package's figures do not hold: {reason} The package is refused.")


class SequenceGap(SecretDeskError):
    code = "office.gap"
    message = N_("packages {missing} of unit {unit} were never received.")


class RotationRefused(SecretDeskError):
    code = "office.rotation_refused"
    message = N_("The new key of unit {code} was not pinned: {reason}")


class RetiredKeyAfterRotation(SecretDeskError):
    code = "office.retired_key"
    message = N_(
        "package {seq} of unit {unit} is signed with the unit's retired key after its "
        "rotation at package {from_seq}: whoever signed it holds an old copy of the unit's "
        "key. Inspect the unit before accepting anything more from it."
    )


class RotationPending(SecretDeskError):
    code = "office.rotation_pending"
    message = N_(
        "the package is signed with a new key of unit {unit} ({fingerprint}) and carries its "
        "key rotation statement. Check that fingerprint on the paper report, then pin the new "
        "key with office rotate and import the package again."
    )


class PeriodInvalid(SecretDeskError):
    code = "office.period_invalid"
    message = N_("The period is a year written YYYY, not {period}.")
