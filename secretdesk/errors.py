"""Errors a user may see: each has a stable code and a message in Vietnamese and English.

Front ends show ``error.render()`` (GUI dialog, CLI stderr) and never a traceback.
Message templates are English gettext ids with ``{name}`` placeholders filled from the
keyword arguments given when the error is raised.
"""

from __future__ import annotations

from typing import Any, ClassVar

from secretdesk.i18n import N_, render_value, translate


class SecretDeskError(Exception):
    """Base of every error with a user-facing message."""

    code: str = "error"  # stable; a subclass may refine it per instance (InvalidRequest)
    message: ClassVar[str] = N_("The operation failed.")

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.render("en"))

    def render(self, language: str | None = None) -> str:
        params = {k: render_value(v, language) for k, v in self.params.items()}
        return translate(self.message, language).format(**params)


class UsageError(SecretDeskError):
    code = "usage"
    message = N_("{detail}")


class InternalError(SecretDeskError):
    code = "internal"
    message = N_("An unexpected error occurred: {detail}. Nothing was changed.")


class NetworkForbidden(SecretDeskError):
    code = "system.network_forbidden"
    message = N_(
        "A network connection was attempted ({event}) and refused. "
        "SecretDesk never uses the network."
    )
