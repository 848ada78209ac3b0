"""Permits: a take-out request (ND26 Art. 5: who, their post and unit, the copies, purpose,
time, place, protection; abroad with the head of the delegation) or a request for provision to
another body (the body, its representative, purpose, its commitment); closing with the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from secretdesk.domain.custody import CopyState
from secretdesk.gui.dialogs.destruction import (
    StatePickModel,
    add_copy_picker,
    long_text,
    top_aligned,
)
from secretdesk.gui.dialogs.handover import PICK, PickModel
from secretdesk.gui.dialogs.record_form import RecordFormDialog
from secretdesk.gui.models.formats import sentence
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.fields import MinuteField, choice_combo
from secretdesk.gui.write import COPY, ENTRY, FormDialog, VaultEvents
from secretdesk.i18n import N_, _
from secretdesk.services.permits import KINDS, kind_label

PERMIT = "permit"  # the entity the permits page listens for

REQUEST_TITLE = N_("Request a permit")
REQUEST_INTRO = N_(
    "A take-out names who takes the copies, their post, the purpose, the place, when they go "
    "and come back, and how they are protected. A provision names the requesting body and its "
    "commitment to protect the copies. Nothing moves until the request is approved."
)
CLOSE_TITLE = N_("Close the permit")
CLOSE_INTRO = N_(
    "The report on use closes the permit. For a take-out the copies still out come back to "
    "storage now."
)


class PermitPickModel(StatePickModel):
    columns: ClassVar[dict[int, str]] = {**PickModel.columns, PICK: N_("On the permit")}
    # taken out or provided from storage or from the person it is issued to
    allowed = frozenset({CopyState.IN_STORAGE, CopyState.ISSUED})
    refused_tip = N_("Only a copy in storage or issued to a person can go on a permit.")


class PermitRequestDialog(FormDialog):
    touches = (PERMIT,)
    refusal_fields: ClassVar[dict[str, str]] = {
        "A permit covers at least one copy.": "copies",
        "A copy is listed twice.": "copies",
        "{copy} of {item} is already on permit #{permit}.": "copies",
        "Item {item} was cancelled in the register.": "copies",
        "custody.transition_refused": "copies",
        "{copy} of {item} is an unopened envelope that only {name} may open:"
        " it cannot go to {requester}.": "requester",
        "Name the person requesting the copies.": "requester",
        "State the purpose of the request.": "purpose",
        "Say where the copies will be taken ({article}).": "place",
        "A take-out permit needs the time it starts and ends ({article}).": "ends_at",
        "The copies must come back after they are taken out.": "ends_at",
        "Describe how the copies will be protected outside ({article}).": "protection",
        "Name the requesting body ({article}).": "requesting_body",
        "The requesting body must commit to protect the copies ({article}).": "commitment",
        "Only a take-out can be taken abroad.": "abroad",
        "Only a provision can go to a foreign body or person ({article}).": "foreign",
        "Give the post, nationality and passport number of the foreign body's"
        " representative ({article}).": "passport",
        "Name the head of the delegation the items abroad are reported to"
        " ({article}).": "delegation_head",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _(REQUEST_TITLE),
            intro=_(REQUEST_INTRO),
            ok_text=_("Request"),
            parent=parent,
        )
        self.setMinimumWidth(1100)
        self.picker = add_copy_picker(self, PermitPickModel(self), _("Copies:"), min_height=140)
        self.kind = choice_combo((kind, sentence(str(kind_label(kind)))) for kind in KINDS)
        self.add_field("kind", _("Kind of permit:"), self.kind)
        self.requester = QLineEdit()
        self.add_field("requester", _("Requester:"), self.requester)
        self.requester_position = QLineEdit()
        self.add_field("requester_position", _("Their post:"), self.requester_position)
        self.requester_unit = QLineEdit()
        self.requester_unit.setPlaceholderText(session.unit.name)
        self.add_field("requester_unit", _("Their unit:"), self.requester_unit)
        self.purpose = QLineEdit()
        self.add_field("purpose", _("Purpose:"), self.purpose)
        self.requesting_body = QLineEdit()
        self.add_field("requesting_body", _("Requesting body:"), self.requesting_body)
        self.commitment = QLineEdit()
        self.add_field("commitment", _("Commitment to protect:"), self.commitment)
        self.foreign = QCheckBox(_("To a foreign body or person (Article 16)"))
        self.add_field("foreign", "", self.foreign)
        self.nationality = QLineEdit()
        self.add_field("nationality", _("Representative's nationality:"), self.nationality)
        self.passport = QLineEdit()
        self.add_field("passport", _("Passport number:"), self.passport)
        self.use_second_column()
        self.place = QLineEdit()
        self.add_field("place", _("Taken to:"), self.place)
        now = session.app.ctx.clock.now().astimezone()
        self.starts_at = MinuteField(now)
        self.add_field("starts_at", _("Out from:"), self.starts_at)
        self.ends_at = MinuteField()
        self.add_field("ends_at", _("Back by:"), self.ends_at)
        self.protection = QLineEdit()
        self.add_field("protection", _("Protection:"), self.protection)
        self.abroad = QCheckBox(_("Taken abroad"))
        self.add_field("abroad", "", self.abroad)
        self.delegation_head = QLineEdit()
        self.add_field("delegation_head", _("Head of the delegation:"), self.delegation_head)
        top_aligned(self)
        self.kind.currentIndexChanged.connect(self._kind_chosen)
        self.abroad.toggled.connect(self._kind_chosen)
        self.foreign.toggled.connect(self._kind_chosen)
        self._kind_chosen()
        self.picker.run_search()

    def _kind_chosen(self, *_args: object) -> None:
        take_out = self.kind.currentData() == "take-out"
        for widget in (self.place, self.starts_at, self.ends_at, self.protection, self.abroad):
            widget.setEnabled(take_out)
        self.delegation_head.setEnabled(take_out and self.abroad.isChecked())
        for widget in (self.requesting_body, self.commitment, self.foreign):
            widget.setEnabled(not take_out)
        for widget in (self.nationality, self.passport):
            widget.setEnabled(not take_out and self.foreign.isChecked())

    def work(self) -> Callable[[], Any]:
        copy_ids = self.picker.chosen_ids("copies")
        kind = self.kind.currentData()
        options: dict[str, Any] = {
            "requester": self.requester.text(),
            "purpose": self.purpose.text(),
            "requester_unit": self.requester_unit.text(),
            "requester_position": self.requester_position.text(),
        }
        if kind == "take-out":
            options.update(
                place=self.place.text(),
                starts_at=self.starts_at.moment("starts_at"),
                ends_at=self.ends_at.moment("ends_at") if self.ends_at.text().strip() else None,
                protection=self.protection.text(),
                abroad=self.abroad.isChecked(),
                delegation_head=self.delegation_head.text() if self.abroad.isChecked() else "",
            )
        else:
            options.update(
                requesting_body=self.requesting_body.text(),
                commitment=self.commitment.text(),
                foreign=self.foreign.isChecked(),
                nationality=self.nationality.text() if self.foreign.isChecked() else "",
                passport=self.passport.text() if self.foreign.isChecked() else "",
            )
        permits = self.app.permits
        return lambda: permits.request(kind, copy_ids, **options)


class ClosePermitDialog(RecordFormDialog):
    touches = (PERMIT, COPY, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "A permit is closed with a report on use.": "report",
    }
    title_id, intro_id, ok_id = CLOSE_TITLE, CLOSE_INTRO, N_("Close the permit")

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        permit_id: int,
        description: str,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, session, events, description, parent=parent)
        self.permit_id = permit_id
        self.report = long_text(4)
        self.add_field("report", _("Report on use:"), self.report)

    def work(self) -> Callable[[], Any]:
        report, permits, permit_id = self.report.toPlainText(), self.app.permits, self.permit_id
        return lambda: permits.close(permit_id, report)
