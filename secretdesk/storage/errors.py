"""Errors about the vault files, each with a stable code and a bilingual message."""

from __future__ import annotations

from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, plural_text, render_value, translate


class VaultError(SecretDeskError):
    code = "vault"
    message = N_("The vault cannot be used.")


class WrongPassphrase(VaultError):
    code = "vault.wrong_passphrase"
    message = N_("Wrong user name or passphrase.")


class LockedOut(VaultError):
    """``failures`` is at least FREE_ATTEMPTS (5) when locked out; ``seconds`` counts down to 1
    (the unlock window decrements it), so the wait has its own plural (issue 17)."""

    code = "vault.locked_out"
    message = N_("{failures} failed unlock attempts. Wait {wait} before trying again.")

    def render(self, language: str | None = None) -> str:
        seconds = int(self.params.get("seconds", 0))
        wait = plural_text(seconds, N_("{count} second"), N_("{count} seconds"), count=seconds)
        params = {k: render_value(v, language) for k, v in self.params.items()}
        params["wait"] = wait.render(language)
        return translate(self.message, language).format(**params)


class VaultNotFound(VaultError):
    code = "vault.not_found"
    message = N_("No vault in {path}. Create one first (secretdesk init).")


class VaultExists(VaultError):
    code = "vault.exists"
    message = N_("A vault already exists in {path}; it was left untouched.")


class VaultDamaged(VaultError):
    code = "vault.damaged"
    message = N_(
        "The vault file {path} is damaged ({detail}). Do not write to it; "
        "restore the latest backup and report this to the administrator."
    )


class VaultBusy(VaultError):
    code = "vault.busy"
    message = N_(
        "Another SecretDesk window or command is writing to this vault. Nothing was changed;"
        " try again when it has finished."
    )


class KeyFileDamaged(VaultError):
    code = "vault.keys_damaged"
    message = N_(
        "The key file {path} is damaged ({detail}). Restore it from the backup "
        "made together with the database."
    )


class VaultTooNew(VaultError):
    code = "vault.too_new"
    message = N_(
        "This vault was written by a newer SecretDesk (schema {found}; this program knows "
        "up to {known}). Install the newer program; the vault was not changed."
    )


class NoEncryption(VaultError):
    code = "vault.no_sqlcipher"
    message = N_(
        "The installed SQLite has no SQLCipher encryption; refusing to store secrets in "
        "plain text. Reinstall SecretDesk."
    )


class UnknownUser(VaultError):
    code = "vault.unknown_user"
    message = N_("There is no key slot for user {user}.")


class WeakPassphrase(VaultError):
    code = "vault.weak_passphrase"
    message = N_("A passphrase must have at least {minimum} characters.")


class WrongRecoveryCode(VaultError):
    code = "vault.wrong_recovery_code"
    message = N_("The recovery code is not correct.")


class MigrationFailed(VaultError):
    code = "vault.migration_failed"
    message = N_(
        "Upgrading the vault to schema {version} failed ({detail}). Nothing was changed; "
        "a backup copy is at {backup}."
    )


class RekeyBlocked(VaultError):
    code = "vault.rekey_blocked"
    message = N_(
        "The vault cannot be re-keyed yet: {users} must unlock it once with their passphrase "
        "first (their key slot is of the old format)."
    )


class SlotPublicReplaced(VaultError):
    code = "vault.slot_public_replaced"
    message = N_(
        "The passphrase of {user} is right, but the public key in their key slot is not "
        "theirs: someone replaced it, and the last re-key sealed the vault's data key to "
        "that other key. Treat the data key as leaked: ask an administrator to reset this "
        "passphrase (which re-keys the vault again) and report it."
    )


class SlotQuarantined(VaultError):
    code = "vault.slot_quarantined"
    message = N_(
        "The key slot of {user} was set aside at the last re-key: its public key was not "
        "one the audit log records for {user} (someone may have put their own key there), "
        "so it was not given the new data key. Ask an administrator to reset this user's "
        "passphrase; that re-keys the vault and gives {user} a new slot."
    )


class RekeyPending(VaultError):
    code = "vault.rekey_pending"
    message = N_(
        "A re-key of the vault was interrupted. Unlock with a user's passphrase to finish it."
    )
