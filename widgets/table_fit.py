"""Tables that fit their contents, cheaply.

Qt's `ResizeToContents` header mode measures every cell again on every layout pass (each
style change, each resize), which for word-wrapping tables meant hundreds of thousands of
`data()` calls when the window changed to presentation type. Here the columns and rows are
fitted once per burst of changes instead: after the model changes, after a column is
resized (wrapped rows must grow or shrink), and after the font changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView


class _Fitter(QObject):
    def __init__(self, view: QTableView, stretch: set[int]) -> None:
        super().__init__(view)
        self.view = view
        self.stretch = stretch
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.fit)
        view.horizontalHeader().sectionResized.connect(lambda *_: self.timer.start())
        view.installEventFilter(self)
        self.watch_model()

    def watch_model(self) -> None:
        model = self.view.model()
        if model is None:
            return
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.rowsMoved,
            model.dataChanged,
            model.layoutChanged,
        ):
            signal.connect(lambda *_: self.timer.start())
        self.timer.start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.Show):
            self.timer.start()
        return False

    def fit(self) -> None:
        header = self.view.horizontalHeader()
        for column in range(header.count()):
            if (
                header.sectionResizeMode(column) == QHeaderView.ResizeMode.Interactive
                and column not in self.stretch
                and not header.isSectionHidden(column)
            ):
                self.view.resizeColumnToContents(column)
        if self.view.wordWrap():
            self.view.resizeRowsToContents()
        self.view.updateGeometry()  # tables sized to their rows ask their layout again


def fit_to_contents(view: QTableView, stretch: Iterable[int] = (0,)) -> None:
    """Stretch the `stretch` columns, fit the others and every row to their contents.
    Call after `view.setModel(...)`."""
    wanted = set(stretch)
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(header.count()):
        header.setSectionResizeMode(
            column, QHeaderView.ResizeMode.Stretch if column in wanted else QHeaderView.ResizeMode.Interactive
        )
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    _Fitter(view, wanted)
