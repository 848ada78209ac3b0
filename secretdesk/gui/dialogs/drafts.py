"""Drafts (dự thảo): add one, a new version, destroy one. Finalising opens the registration form
(register_item.py) filled from the draft."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtWidgets import QLineEdit, QWidget

from secretdesk.domain.drafts import Draft
from secretdesk.domain.levels import Level
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.common import label
from secretdesk.gui.widgets.fields import level_combo, required_text
from secretdesk.gui.write import DRAFT, ENTRY, FormDialog, VaultEvents
from secretdesk.i18n import N_, _

ADD_TITLE = N_("Add a draft")
VERSION_TITLE = N_("New version of draft {number}")
DESTROY_TITLE = N_("Destroy draft {number}")
ADD_INTRO = N_(
    "A draft is managed like a secret from its first line: it gets the next number of the "
    "drafts register, with who drafted it, when, on which computer and at what proposed level."
)
DESTROY_INTRO = N_("Say how the draft was destroyed (for example: shredded, file wiped).")


class DraftDialog(FormDialog):
    """Add a draft, or (with ``previous``) a new version that supersedes it."""

    touches = (DRAFT, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {"A draft needs a title.": "title"}

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        *,
        previous: Draft | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = _(VERSION_TITLE).format(number=previous.label) if previous else _(ADD_TITLE)
        super().__init__(runner, session, events, title, intro=_(ADD_INTRO), parent=parent)
        self.previous = previous
        self.title = QLineEdit(previous.title if previous else "")
        self.add_field("title", _("Title:"), self.title)
        self.level = level_combo()
        if previous is not None:
            self.level.setCurrentIndex(self.level.findData(previous.proposed_level.value))
        self.add_field("level", _("Proposed level:"), self.level)
        self.drafter = QLineEdit(previous.drafter if previous else "")
        self.add_field("drafter", _("Drafted by:"), self.drafter)
        self.computer = QLineEdit()
        self.computer.setPlaceholderText(_("This computer"))
        self.add_field("computer", _("Computer:"), self.computer)

    def work(self) -> Callable[[], Any]:
        title = required_text(self.title, "title")
        level = Level(self.level.currentData())
        drafter, computer, drafts = self.drafter.text(), self.computer.text(), self.app.drafts
        previous = self.previous
        if previous is not None:
            return lambda: drafts.supersede(
                previous.id, title=title, level=level, drafter=drafter, computer=computer
            )
        return lambda: drafts.add(title, level, drafter=drafter, computer=computer)


class DestroyDraftDialog(FormDialog):
    touches = (DRAFT,)
    refusal_fields: ClassVar[dict[str, str]] = {
        "Say how the draft was destroyed.": "method",
        "Draft {number} is already destroyed.": "method",
    }

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        draft: Draft,
        *,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            session,
            events,
            _(DESTROY_TITLE).format(number=draft.label),
            intro=_(DESTROY_INTRO),
            ok_text=_("Destroy"),
            parent=parent,
        )
        self.draft = draft
        self.top.addWidget(label(draft.title, "section"))
        self.method = QLineEdit()
        self.add_field("method", _("Method:"), self.method)

    def work(self) -> Callable[[], Any]:
        draft_id, method, drafts = self.draft.id, self.method.text(), self.app.drafts
        return lambda: drafts.destroy(draft_id, method)
