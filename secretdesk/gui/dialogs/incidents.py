"""Incidents: report a loss, a leak or tampering (a lost or leaked copy is marked so at once),
and recover a copy found again."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtWidgets import QLineEdit, QWidget

from secretdesk.gui.dialogs.destruction import add_copy_picker, long_text, top_aligned
from secretdesk.gui.dialogs.handover import PICK, Pickable, PickModel
from secretdesk.gui.dialogs.record_form import RecordFormDialog
from secretdesk.gui.models.formats import sentence
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.fields import MinuteField, choice_combo
from secretdesk.gui.write import COPY, ENTRY, FieldProblem, FormDialog, VaultEvents
from secretdesk.i18n import N_, _
from secretdesk.services.incidents import KINDS, kind_label

INCIDENT = "incident"  # the entity the incidents page listens for

REPORT_TITLE = N_("Report an incident")
REPORT_INTRO = N_(
    "A loss, a leak or tampering is reported at once to the head of the unit. Tick the copy "
    "concerned (required for a loss); a lost or leaked copy is marked so in the register."
)
RECOVER_TITLE = N_("Recover a copy")
RECOVER_INTRO = N_("A lost copy was found again: it goes back into storage.")
ONE_COPY = N_("Tick one copy only.")


class IncidentPickModel(PickModel):
    columns: ClassVar[dict[int, str]] = {**PickModel.columns, PICK: N_("Concerned")}


class ReportIncidentDialog(FormDialog):
    touches = (INCIDENT, COPY, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "Describe what happened.": "description",
        "Name the head (or deputy) the incident was reported to.": "reported_to",
        "Say which copy was lost.": "copies",
        "custody.transition_refused": "copies",
        "The incident time ({at}) is in the future.": "occurred_at",
        "Item {item} is dated {date}: nothing can have happened to {copy} before that"
        " ({at}).": "occurred_at",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        copies: Sequence[Pickable] = (),
        chosen: Sequence[Pickable] = (),
        search: str = "",
        parent: QWidget | None = None,
    ) -> None:
        """``copies`` shows those copies instead of searching (the item window passes the
        entry's own, ``search`` its register number); ``chosen`` are ticked already."""
        super().__init__(
            runner,
            session,
            events,
            _(REPORT_TITLE),
            intro=_(REPORT_INTRO),
            ok_text=_("Report"),
            parent=parent,
        )
        self.setMinimumWidth(1000)
        self.picker = add_copy_picker(
            self, IncidentPickModel(self), _("Copy concerned:"), min_height=140
        )
        self.kind = choice_combo((kind, sentence(str(kind_label(kind)))) for kind in KINDS)
        self.add_field("kind", _("Kind of incident:"), self.kind)
        self.occurred_at = MinuteField(session.app.ctx.clock.now().astimezone())
        self.add_field("occurred_at", _("Happened at:"), self.occurred_at)
        self.reported_to = QLineEdit()
        self.add_field("reported_to", _("Reported to:"), self.reported_to)
        self.reported_by = QLineEdit(session.display_name)
        self.add_field("reported_by", _("Reported by:"), self.reported_by)
        self.use_second_column()
        self.description = long_text(5)
        self.add_field("description", _("What happened:"), self.description)
        top_aligned(self)
        self.picker.search.setText(search)
        for row in chosen:
            self.picker.model.chosen[row.copy.id] = row
        if copies:
            self.picker.model.set_rows(list(copies))
            self.picker._show_chosen()
        else:
            self.picker.run_search()

    def work(self) -> Callable[[], Any]:
        chosen = list(self.picker.model.chosen)
        if len(chosen) > 1:
            raise FieldProblem("copies", _(ONE_COPY))
        copy_id = chosen[0] if chosen else None
        kind, at = self.kind.currentData(), self.occurred_at.moment("occurred_at")
        description, to, by = (
            self.description.toPlainText(),
            self.reported_to.text(),
            self.reported_by.text(),
        )
        incidents = self.app.incidents
        return lambda: incidents.report(
            kind, description, reported_to=to, copy_id=copy_id, occurred_at=at, reported_by=by
        )


class RecoverCopyDialog(RecordFormDialog):
    touches = (INCIDENT, COPY, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {"custody.transition_refused": "note"}
    title_id, intro_id, ok_id = RECOVER_TITLE, RECOVER_INTRO, N_("Recover")

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        copy_id: int,
        description: str,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, session, events, description, parent=parent)
        self.copy_id = copy_id
        self.note = QLineEdit()
        self.add_field("note", _("Where it was found:"), self.note)

    def work(self) -> Callable[[], Any]:
        note, incidents, copy_id = self.note.text(), self.app.incidents, self.copy_id
        return lambda: incidents.recover(copy_id, note)
