"""Refusals raised by services that are not rules of the domain model itself."""

from __future__ import annotations

from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_


class NotFound(SecretDeskError):
    code = "not_found"
    message = N_("There is no {what} {ref}.")


class InvalidRequest(SecretDeskError):
    code = "request.invalid"
    message = N_("{reason}")


class BookLocked(SecretDeskError):
    code = "register.locked"
    message = N_("Register book {book} is locked; corrections go into a new entry of an open book.")
