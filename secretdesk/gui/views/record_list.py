"""What the register's list pages share: a heading and intro, rows of action buttons, a table
of records with its loading state, a status line; loading on the worker, reloading when the
vault changes what the page shows, acting on the selected record, keeping it selected across
reloads, and reporting a failure in the user's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from secretdesk.domain.roles import Permission
from secretdesk.gui.models.base import RowsTableModel
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import LeftOutNotice, label, record_table
from secretdesk.gui.widgets.evidence_actions import EvidenceActions
from secretdesk.gui.widgets.fields import choice_combo
from secretdesk.gui.write import VaultEvents
from secretdesk.i18n import _

if TYPE_CHECKING:
    from secretdesk.gui.dialogs.evidence import EvidenceRecord


def sorted_proxy(model: QAbstractItemModel, role: int, parent: QWidget) -> QSortFilterProxyModel:
    """A proxy that sorts ``model`` by its values in ``role`` (a page's own order)."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(role)
    return proxy


class RecordListPage(QWidget):
    """A page that lists records and acts on the selected one. A page builds itself with
    ``heading`` (or ``title_row``), ``button``, ``button_row``, ``add_table`` and
    ``add_status`` (in the order it shows them), then ``watch_vault``; it names the rows to
    load (``loader``), shows them (``_show``), and which buttons the selection enables
    (``_update_buttons``)."""

    loaded = Signal(int)  # rows shown
    failed = Signal(str)  # a message for the window to show

    watches: ClassVar[frozenset[str]] = frozenset()  # what the vault announces to reload on

    model: RowsTableModel
    table: QTableView
    status: QLabel

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents | None,
        parent: QWidget | None = None,
        *,
        spacing: int = 10,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.session = session
        self._app = session.app
        self.events = events or VaultEvents(self)
        self.dialog: QDialog | None = None  # the dialog open now (tests drive it)
        self.page_layout = QVBoxLayout(self)
        self.page_layout.setContentsMargins(24, 20, 24, 16)
        self.page_layout.setSpacing(spacing)

    # -- building ----------------------------------------------------------------------
    @property
    def may_record(self) -> bool:
        return bool(self._app.actor.can(Permission.RECORD))

    def heading(self, title: str, intro: str, *controls: QWidget) -> None:
        """The page's title, ``controls`` (filters) at its right, and the intro under it."""
        if controls:
            self.title_row(title, *controls)
        else:
            self.page_layout.addWidget(label(title, "title"))
        self.page_layout.addWidget(label(intro, "muted"))

    def title_row(self, title: str, *controls: QWidget) -> QHBoxLayout:
        """The page's title with ``controls`` at its right, on their baseline."""
        top = QHBoxLayout()
        top.addWidget(label(title, "title"), 1)
        for control in controls:
            top.addWidget(control, 0, Qt.AlignmentFlag.AlignBottom)
        self.page_layout.addLayout(top)
        return top

    def choice_filter(
        self, everything: str, choices: Iterable[tuple[object, str]], changed: Callable[[], object]
    ) -> QComboBox:
        """A list to filter the records by: ``everything`` first (no filter), then each
        (value, caption) of ``choices``; ``changed`` runs when another is chosen."""
        combo = choice_combo([(None, everything), *choices])
        combo.currentIndexChanged.connect(changed)
        return combo

    def button(
        self, text: str, clicked: Callable[[], object], *, writer: bool = False
    ) -> QPushButton:
        """A push button; a ``writer`` one is absent, not an error, for who may not record."""
        button = QPushButton(text)
        button.clicked.connect(clicked)
        if writer:
            button.setVisible(self.may_record)
        return button

    def approval_buttons(
        self, countersign: Callable[..., object]
    ) -> tuple[QPushButton, QPushButton]:
        """ "Approve…" and "Refuse…" the selected request: ``countersign(refuse=…)``."""
        return (
            self.button(_("Approve…"), lambda: countersign(refuse=False), writer=True),
            self.button(_("Refuse…"), lambda: countersign(refuse=True), writer=True),
        )

    def button_row(self, *buttons: QPushButton, stretch: bool = True) -> QHBoxLayout:
        """A row of ``buttons`` on the page, to the left."""
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        if stretch:
            row.addStretch(1)
        self.page_layout.addLayout(row)
        return row

    def add_table(
        self,
        model: QAbstractItemModel,
        *,
        stretch: Iterable[int],
        wrap: bool = True,
        sort_by: int | None = None,
    ) -> QTableView:
        """The records' table (``record_table``), taking the page's free height; a change of
        selection updates the buttons. ``sort_by``: the column of the page's own order."""
        table = record_table(model, stretch=stretch, wrap=wrap)
        if sort_by is not None:
            table.setSortingEnabled(True)
            table.sortByColumn(sort_by, Qt.SortOrder.AscendingOrder)
        table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.page_layout.addWidget(table, 1)
        return table

    def add_left_out(self) -> LeftOutNotice:
        """Under the table: how many records above the reader's clearance it leaves out."""
        notice = LeftOutNotice()
        self.page_layout.addWidget(notice)
        return notice

    def add_evidence(
        self, record: Callable[[], EvidenceRecord | None]
    ) -> tuple[QPushButton, QPushButton]:
        """The scans of the selected ``record`` (``self.evidence``, after ``add_table``):
        returns "Attach a scan…" and "Scans…" for the page to place."""
        self.evidence = EvidenceActions(
            self, self._runner, self.session, self.events, self.table, record, self._open
        )
        return self.evidence.buttons()

    def add_status(self) -> QLabel:
        """The muted line under the table: what it shows."""
        status = label("", "muted", wrap=False)
        self.page_layout.addWidget(status)
        return status

    def watch_vault(self) -> None:
        """Last in building: reload on the vault's changes; the buttons as nothing is chosen."""
        self.events.changed.connect(self._vault_changed)
        self._update_buttons()

    # -- loading -----------------------------------------------------------------------
    def loader(self) -> Callable[[], Any]:
        """What runs on the worker to load the rows (it must not touch a widget)."""
        raise NotImplementedError

    def refresh(self) -> None:
        self.model.load(self._runner, self.loader(), self._show, self._failed, context=self)

    def _show(self, rows: Any) -> None:
        raise NotImplementedError

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if entities & self.watches and self.isVisible():
            self.refresh()

    def rows_shown(self, count: int) -> None:
        """After ``_show``: the buttons for the selection now, and ``loaded``."""
        self._update_buttons()
        self.loaded.emit(count)

    # -- the selected record -----------------------------------------------------------
    def _proxy(self) -> QAbstractProxyModel | None:
        shown = self.table.model()
        return shown if isinstance(shown, QAbstractProxyModel) else None

    def _shown_row(self, row: int) -> int:
        proxy = self._proxy()
        return row if proxy is None else proxy.mapFromSource(self.model.index(row, 0)).row()

    def selected(self) -> Any:
        """The selected record (the model's row object), or None."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        proxy = self._proxy()
        return self.model.row_object(rows[0] if proxy is None else proxy.mapToSource(rows[0]))

    def select_where(self, wanted: Callable[[Any], bool]) -> None:
        """Select the first record that is ``wanted``, unless a filter hides it."""
        for row in range(self.model.rowCount()):
            if wanted(self.model.row_object(self.model.index(row, 0))):
                shown_row = self._shown_row(row)
                if not self.table.isRowHidden(shown_row):
                    self.table.selectRow(shown_row)
                return

    def hide_where(self, hidden: Callable[[Any], bool]) -> None:
        """Hide the rows of the records that are ``hidden``; show the others. A record hidden
        is no longer selected: the buttons act only on a record the clerk sees."""
        for row in range(self.model.rowCount()):
            record = self.model.row_object(self.model.index(row, 0))
            self.table.setRowHidden(self._shown_row(row), hidden(record))
        chosen = self.table.selectionModel().selectedRows()
        if chosen and self.table.isRowHidden(chosen[0].row()):
            self.table.clearSelection()

    @contextmanager
    def selection_kept(self, key: Callable[[Any], object]) -> Iterator[None]:
        """The record selected before the block (same ``key``) is selected again after it."""
        chosen = self.selected()
        yield
        if chosen is not None:
            chosen_key = key(chosen)
            self.select_where(lambda record: key(record) == chosen_key)

    def _update_buttons(self, *_args: object) -> None:
        """Enable the actions the selected record allows."""

    # -- acting ------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(error_text(error))
