"""The readiness checklist of the sign-off step: each check as a big ✓ or ✗ with its name and
what is still open; and the scroll area that holds it, no taller than the checklist needs."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QWidget

from models.palette import INK_SOFT
from models.readiness import ReadinessItem
from widgets.value_filter import GREEN, RED


class FitScrollArea(QScrollArea):
    """A scroll area that asks for the height its content needs at its width, so it takes
    no more room than that, and scrolls only when the page has less to give."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        content = self.widget()
        if content is None:
            return hint
        width = self.viewport().width() if self.viewport().width() > 0 else content.sizeHint().width()
        height = content.heightForWidth(width) if content.hasHeightForWidth() else -1
        if height < 0:
            height = content.sizeHint().height()
        return QSize(hint.width(), height + 2 * self.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.updateGeometry()  # a new width changes the height the wrapped text needs


class ReadinessChecklist(QWidget):
    """Each check as a big ✓ or ✗ with its name and, on the same line, what is still open
    (one line per check where it fits: the Sign button must stay in view on a projector)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        self.items: list[ReadinessItem] = []
        self.rows: list[tuple[QLabel, QLabel]] = []  # (mark, check and detail)

    def show_items(self, items: list[ReadinessItem]) -> None:
        self.items = list(items)
        if len(self.rows) != len(items):
            for row in self.rows:
                for label in row:
                    self.grid.removeWidget(label)
                    label.deleteLater()
            self.rows = []
            for i in range(len(items)):
                mark, text = QLabel(), QLabel()
                for label in (mark, text):
                    label.setTextFormat(Qt.TextFormat.RichText)
                    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                text.setWordWrap(True)
                self.grid.addWidget(mark, i, 0)
                self.grid.addWidget(text, i, 1)
                self.rows.append((mark, text))
        for (mark, text), item in zip(self.rows, items, strict=True):
            symbol, colour = ("\u2713", GREEN) if item.done else ("\u2717", RED)
            mark.setText(f'<span style="font-size: x-large; font-weight: 700; color: {colour}">{symbol}</span>')
            mark.setAccessibleName("done" if item.done else "not done")
            mark.setToolTip("Done" if item.done else "Not done yet")
            text.setText(
                f'<span style="font-size: large; font-weight: 600">{html.escape(item.label)}</span>'
                f'<span style="color: {INK_SOFT}">&nbsp;&nbsp;\u2014 {html.escape(item.detail)}</span>'
            )
            text.setAccessibleName(f"{item.label}: {item.detail}")
