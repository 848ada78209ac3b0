"""Errors raised while preparing or rendering a printout, each with a stable code."""

from __future__ import annotations

from secretdesk.errors import SecretDeskError
from secretdesk.i18n import N_


class ReportError(SecretDeskError):
    code = "reports"
    message = N_("The printout could not be made.")


class InvalidFormLayout(ReportError):
    code = "reports.invalid_layout"
    message = N_("The form layout {file} is invalid: {problem}.")


class FormLayoutMissing(ReportError):
    code = "reports.no_layout"
    message = N_("No form layout for {kind} is in force on {on}.")


class FontUnavailable(ReportError):
    code = "reports.font_unavailable"
    message = N_("No font able to print Vietnamese was found ({detail}).")


class MissingGlyph(ReportError):
    code = "reports.missing_glyph"
    message = N_("The font {font} cannot print these characters: {chars}.")


class InvalidReportData(ReportError):
    code = "reports.invalid_data"
    message = N_("The data for the printout is invalid: {detail}.")


class LabelTextTooLong(ReportError):
    code = "reports.label_too_long"
    message = N_("The text of label {position} does not fit on the label; shorten it.")


class InvalidSlipCode(ReportError):
    code = "reports.slip_code_invalid"
    message = N_("“{text}” is not the code of a receipt slip.")


class SlipCodeMismatch(ReportError):
    code = "reports.slip_code_mismatch"
    message = N_(
        "The code {text} does not match handover {number}/{year} as printed: "
        "it was mistyped, altered or printed from another slip."
    )
