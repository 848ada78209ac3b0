"""Refusals by the domain rules (DOMAIN.md §6), each with a stable code."""

from __future__ import annotations

from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_


class DomainError(SecretDeskError):
    code = "domain"
    message = N_("The register's rules refuse this operation.")


class CustodyRefused(DomainError):
    code = "custody.transition_refused"
    message = N_("{copy} of item {item} is {state}: it cannot {action}.")


class InvalidLevel(DomainError):
    code = "level.invalid"
    message = N_("Unknown classification level: {value}.")


class ExtensionRefused(DomainError):
    code = "protection.extension_refused"
    message = N_("The protection period cannot be extended: {reason}{article}.")

    def __init__(self, **params: object) -> None:
        params.setdefault("article", "")
        super().__init__(**params)


class LegalBasisMissing(DomainError):
    code = "legal.no_basis"
    message = N_("No legal basis is in force on {on}.")


class InvalidRuleData(DomainError):
    code = "legal.invalid_rules"
    message = N_("The rule file {name} is invalid: {reason}.")
