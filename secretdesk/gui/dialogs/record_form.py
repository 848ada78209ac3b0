"""A form about one record the page has chosen (a copy request, a destruction case, a permit,
a lost copy, an entry): the record described on top; the title, the intro and the OK button
named by the form's class."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QWidget

from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.common import label
from secretdesk.gui.write import FormDialog, VaultEvents
from secretdesk.i18n import _


class RecordFormDialog(FormDialog):
    title_id: ClassVar[str]  # message ids
    intro_id: ClassVar[str]
    ok_id: ClassVar[str]

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        description: str,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _(self.title_id),
            intro=_(self.intro_id),
            ok_text=_(self.ok_id),
            parent=parent,
        )
        self.top.addWidget(label(description, "section"))
