"""The named addressee confirms opening the envelope (rule 6: "chỉ người có tên mới được bóc
bì"). Until then the register shows the entry as unopened; the service checks the name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtWidgets import QLineEdit, QWidget

from secretdesk.domain.items import Item
from secretdesk.gui.dialogs.record_form import RecordFormDialog
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner
from secretdesk.gui.widgets.fields import required_text
from secretdesk.gui.write import ENTRY, ITEM, VaultEvents
from secretdesk.i18n import N_, _

TITLE = N_("Confirm opening by the named addressee")
INTRO = N_(
    "Only the person named on the envelope may open it. They type their name here when they "
    "open it; the register then no longer shows the envelope as unopened."
)
ENTRY_TEXT = N_("{symbol} (entry {number}/{year})")
NAMED = N_("Named on the envelope: {name}")


class ConfirmOpeningDialog(RecordFormDialog):
    touches = (ITEM, ENTRY)
    refusal_fields: ClassVar[dict[str, str]] = {
        "item.named_addressee_only": "person",
        "item.envelope_already_opened": "person",
        "item.no_named_addressee": "person",
    }
    title_id, intro_id, ok_id = TITLE, INTRO, N_("Confirm opening")

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        item: Item,
        *,
        parent: QWidget | None = None,
    ) -> None:
        entry = _(ENTRY_TEXT).format(symbol=item.number_symbol, number=item.number, year=item.year)
        super().__init__(runner, session, events, entry, parent=parent)
        self.item = item
        self.person = QLineEdit()
        self.add_field(
            "person",
            _("Opened by:"),
            self.person,
            hint=_(NAMED).format(name=item.named_addressee or "—"),
        )

    def work(self) -> Callable[[], Any]:
        person = required_text(self.person, "person")
        items, item_id = self.app.items, self.item.id
        return lambda: items.confirm_opened(item_id, person)
