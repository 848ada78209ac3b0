"""Refusals raised by services that are not rules of the domain model itself."""

from __future__ import annotations

from typing import Any

from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_, LazyText
from secretdesk.services.refusal_codes import GENERIC, refusal_code


class NotFound(SecretDeskError):
    code = "not_found"
    message = N_("There is no {what} {ref}.")


class InvalidRequest(SecretDeskError):
    """A request a rule refuses; its code is the reason's own (services/refusal_codes.py)."""

    code = GENERIC
    message = N_("{reason}")

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        reason = params.get("reason")
        if type(self).code == GENERIC and isinstance(reason, LazyText):  # subclasses keep theirs
            self.code = refusal_code(reason.message)


class BookLocked(SecretDeskError):
    code = "register.locked"
    message = N_("Register book {book} is locked; corrections go into a new entry of an open book.")
