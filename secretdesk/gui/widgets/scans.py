"""The scans of one record (issue 18), shared by every page that keeps evidence.

``ScansPanel`` lists a record's scans (name, size, SHA-256, who and when, removed ones greyed
with their hash kept), shows the selected one, saves a copy, attaches another and removes one
with a reason. The picture is made by Pillow (images) or PDFium (PDF) on the worker; Qt only
paints the pixels it is given. ``FileDrops`` turns a file dropped on a widget into a path.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont, QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from secretdesk.domain.roles import Permission
from secretdesk.gui.dialogs.evidence import (
    ATTACHMENT,
    AttachScanDialog,
    EvidenceRecord,
    FileChooser,
    RemoveAttachmentDialog,
    ask_open_scan,
    ask_save,
    local_minute_text,
    size_text,
)
from secretdesk.gui.session import Session
from secretdesk.gui.tasks import Runner, error_text
from secretdesk.gui.widgets.common import ErrorLabel, compact_rows, label
from secretdesk.gui.write import VaultEvents
from secretdesk.i18n import N_, _, plural, translate

NONE_YET = {
    "handover": N_("No scan is attached to this handover yet."),
    "destruction": N_("No scan is attached to this destruction case yet."),
    "permit": N_("No scan is attached to this permit yet."),
    "incident": N_("No scan is attached to this incident yet."),
}
KEPT = N_("Scans kept in the vault: {count}.")
REMOVED_ONE = N_("{count} scan removed; its hash is kept.")
REMOVED_MANY = N_("{count} scans removed; their hashes are kept.")
REMOVED_MARK = N_("{name} (removed)")
REMOVED_TIP = N_("Removed on {at} by {by}: {reason}")
PAGES = N_("Page 1 of {count}")
PREVIEW_SIDE = 1400  # pixels of the longer side the worker renders

SaveChooser = Callable[[QWidget, str, str], "Path | None"]


def dropped_files(event: QDropEvent | QDragEnterEvent) -> list[Path]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class FileDrops(QObject):
    """Accepts files dropped on ``target``; calls ``dropped(path, position)`` for the first."""

    def __init__(self, target: QWidget, dropped: Callable[[Path, QPoint], None]) -> None:
        super().__init__(target)
        self.dropped = dropped
        target.setAcceptDrops(True)
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, (QDragEnterEvent, QDropEvent))
            if dropped_files(event):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            files = dropped_files(event)
            if files:
                event.acceptProposedAction()
                self.dropped(files[0], event.position().toPoint())
                return True
        return False


class ScanImage(QLabel):
    """A rendered page, scaled to the width it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setMinimumSize(240, 200)
        self.image = QImage()

    def set_pixels(self, width: int, height: int, rgb: bytes) -> None:
        self.image = QImage(rgb, width, height, width * 3, QImage.Format.Format_RGB888).copy()
        self._fit()

    def clear_image(self, text: str = "") -> None:
        self.image = QImage()
        self.clear()
        self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.image.isNull():
            return
        room = self.size()
        self.setPixmap(
            QPixmap.fromImage(self.image).scaled(
                room.width() - 4,
                room.height() - 4,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )


class ScansPanel(QWidget):
    """The scans of ``record``: the list, the selected one shown, attach, save, remove."""

    loaded = Signal(int)  # scans kept (not removed)
    shown = Signal(int)  # the attachment whose picture is shown
    failed = Signal(str)

    def __init__(
        self,
        runner: Runner,
        session: Session,
        events: VaultEvents,
        record: EvidenceRecord,
        *,
        choose_file: FileChooser = ask_open_scan,
        choose_save: SaveChooser = ask_save,
        vertical: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.session = session
        self.events = events
        self.record = record
        self.choose_file = choose_file
        self.choose_save = choose_save
        self.rows: list[Any] = []
        self.dialog: QDialog | None = None
        writer = session.app.actor.can(Permission.RECORD)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [_("File"), _("Size"), _("SHA-256"), _("Added at, by")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        compact_rows(self.table)
        self.table.itemSelectionChanged.connect(self._selected_changed)
        self.image = ScanImage()
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(self.image)
        self.hash_label = label("", "muted", selectable=True)
        picture = QWidget()
        column = QVBoxLayout(picture)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(area, 1)
        column.addWidget(self.hash_label)
        split = QSplitter(Qt.Orientation.Vertical if vertical else Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(picture)
        split.setStretchFactor(0, 1 if vertical else 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 1)
        self.status = label("", "muted")
        layout.addWidget(self.status)
        self.error = ErrorLabel()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.attach_button = QPushButton(_("Attach a scan…"))
        self.attach_button.clicked.connect(lambda: self.attach())
        self.save_button = QPushButton(_("Save a copy…"))
        self.save_button.clicked.connect(self.save_copy)
        self.remove_button = QPushButton(_("Remove…"))
        self.remove_button.clicked.connect(self.remove)
        self.attach_button.setVisible(writer)  # absent, not an error, for who may not record
        self.remove_button.setVisible(writer)
        for button in (self.attach_button, self.save_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.buttons = buttons
        FileDrops(self, lambda path, _where: self.attach(path))
        events.changed.connect(self._vault_changed)
        self.refresh()

    # -- loading -----------------------------------------------------------------------
    def refresh(self) -> None:
        service, kind, ref = self.session.app.attachments, self.record.kind, self.record.ref
        self.runner.submit(lambda: service.list(kind, ref), self._show, self._failed, context=self)

    def _vault_changed(self, entities: frozenset[str]) -> None:
        if ATTACHMENT in entities:
            self.refresh()

    def _show(self, rows: list[Any]) -> None:
        chosen = self.selected()
        self.table.clearSelection()  # chosen again below: the picture follows the new row
        # the kept ones first, then the removed ones (their hashes stay on record)
        self.rows = sorted(rows, key=lambda row: (row.removed, row.id))
        self.table.setRowCount(len(self.rows))
        grey = self.palette().color(self.palette().ColorRole.PlaceholderText)
        for index, row in enumerate(self.rows):
            name = _(REMOVED_MARK).format(name=row.filename) if row.removed else row.filename
            values = [
                name,
                size_text(row.size),
                row.sha256[:12] + "…",
                f"{local_minute_text(row.added_at)}, {row.added_by}",
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(row.sha256 if column == 2 else value)
                if row.removed:
                    item.setForeground(grey)
                    font = QFont()
                    font.setItalic(True)
                    item.setFont(font)
                    item.setToolTip(
                        _(REMOVED_TIP).format(
                            at=local_minute_text(row.removed_at or ""),
                            by=row.removed_by or "",
                            reason=row.removed_reason or "",
                        )
                    )
                self.table.setItem(index, column, item)
        header = self.table.horizontalHeader()
        for column in range(3):  # the style's padding is not in the size hint
            wide = max(self.table.sizeHintForColumn(column), header.sectionSizeHint(column))
            self.table.setColumnWidth(column, wide + 24)
        header.setStretchLastSection(True)  # the file name is never cut; the list scrolls
        kept = [row for row in self.rows if not row.removed]
        removed = len(self.rows) - len(kept)
        parts = [_(KEPT).format(count=len(kept)) if kept else _(NONE_YET[self.record.kind])]
        if removed:
            removed_text = translate(plural(removed, REMOVED_ONE, REMOVED_MANY))
            parts.append(removed_text.format(count=removed))
        self.status.setText(" ".join(parts))
        if self.rows:
            wanted = chosen.id if chosen is not None else self.rows[0].id
            self.select_attachment(wanted)
        else:
            self.image.clear_image()
            self.hash_label.setText("")
        self._update_buttons()
        self.loaded.emit(len(kept))

    def select_attachment(self, attachment_id: int) -> None:
        for index, row in enumerate(self.rows):
            if row.id == attachment_id:
                self.table.selectRow(index)
                return

    def selected(self) -> Any | None:
        chosen = self.table.selectionModel().selectedRows()
        if not chosen or chosen[0].row() >= len(self.rows):
            return None
        return self.rows[chosen[0].row()]

    def _update_buttons(self) -> None:
        row = self.selected()
        live = row is not None and not row.removed
        self.save_button.setEnabled(live)
        self.remove_button.setEnabled(live)

    def _selected_changed(self) -> None:
        self._update_buttons()
        row = self.selected()
        if row is None:
            return
        self.hash_label.setText(f"SHA-256: {row.sha256}")
        if row.removed:
            self.image.clear_image(
                _(REMOVED_TIP).format(
                    at=local_minute_text(row.removed_at or ""),
                    by=row.removed_by or "",
                    reason=row.removed_reason or "",
                )
            )
            return
        service, attachment_id = self.session.app.attachments, row.id
        self.runner.submit(
            lambda: service.view(attachment_id, PREVIEW_SIDE),
            self._picture,
            self._failed,
            context=self,
        )

    def _picture(self, result: tuple[Any, Any]) -> None:
        row, preview = result
        current = self.selected()
        if current is None or current.id != row.id:
            return  # another scan was chosen meanwhile
        self.image.set_pixels(preview.width, preview.height, preview.rgb)
        pages = f" — {_(PAGES).format(count=preview.pages)}" if preview.pages > 1 else ""
        self.hash_label.setText(f"SHA-256: {row.sha256}{pages}")
        self.shown.emit(row.id)

    # -- actions -----------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()

    def attach(self, path: Path | None = None) -> None:
        if not self.session.app.actor.can(Permission.RECORD):
            return
        self._open(
            AttachScanDialog(
                self.runner,
                self.session,
                self.events,
                self.record,
                path=path,
                choose_file=self.choose_file,
                parent=self,
            )
        )

    def remove(self) -> None:
        row = self.selected()
        if row is None or row.removed or not self.session.app.actor.can(Permission.RECORD):
            return
        self._open(RemoveAttachmentDialog(self.runner, self.session, self.events, row, parent=self))

    def save_copy(self) -> None:
        row = self.selected()
        if row is None or row.removed:
            return
        path = self.choose_save(
            self, _("Save a copy of {name}").format(name=row.filename), row.filename
        )
        if path is None:
            return
        service, attachment_id = self.session.app.attachments, row.id

        def export() -> Path:
            from secretdesk.services.files import save_private

            _row, data = service.content(attachment_id)
            save_private(path, data)
            return path

        self.runner.submit(
            export,
            lambda saved: self.status.setText(_("Saved to {path}.").format(path=saved)),
            self._failed,
            context=self,
        )

    def _failed(self, error: BaseException) -> None:
        message = error_text(error)
        self.error.show_message(message)
        self.failed.emit(message)
