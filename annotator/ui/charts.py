"""Small QPainter charts for the overview (QtCharts is not part of PySide6-Essentials).

A :class:`Chart` draws one :class:`~annotator.services.overview.ChartTable`: horizontal bars
(side by side per series, or stacked), bars along time, or a histogram. Text, grid and
background come from the widget's palette, so the same chart reads in light and dark themes;
only the series colours are fixed, picked from the Okabe–Ito palette, which stays distinct
on white and on near-black and for the common colour-vision deficiencies.

Each chart takes keyboard focus: arrows walk its categories (the value is read out in the
header and in the accessible description), and the Menu key or Shift+F10 opens the same
"Save as PNG…" / "Save as CSV…" menu as a right click. :class:`ChartPanel` adds buttons for
both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.services.overview import ChartTable, duration, save_bytes, save_csv
from annotator.ui.plain import message_box

#: Okabe–Ito: blue, orange, bluish green, reddish purple, sky blue, vermillion, yellow, grey.
SERIES_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: Series whose meaning has a colour of its own in every chart.
NAMED_COLORS = {
    "New": "#999999",
    "In progress": "#E69F00",
    "Done": "#009E73",
    "Skipped": "#CC79A7",
    "accepted": "#009E73",
    "rejected": "#D55E00",
}
MARGIN = 10
TIME_SERIES_HEIGHT = 230
#: PNG files are drawn at twice the screen size so they stay sharp in documents.
PNG_SCALE = 2
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def series_color(table: ChartTable, index: int) -> QColor:
    name = table.series[index]
    return QColor(NAMED_COLORS.get(name, SERIES_COLORS[index % len(SERIES_COLORS)]))


def format_value(table: ChartTable, value: float) -> str:
    if table.unit == "seconds":
        return duration(value)
    if table.unit == "ratio":
        return f"{value:.0%}"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


#: Tick steps for durations: whole seconds, minutes and hours, not 3m 20s.
TIME_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800)


def nice_ticks(top: float, count: int = 4, unit: str = "count") -> list[float]:
    """Round tick values from 0 up to at least ``top`` (counts: whole numbers)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if unit == "seconds":
        step = next((s for s in TIME_STEPS if s >= raw), 3600 * math.ceil(raw / 3600))
    if step < 1 and top >= 1:
        step = 1
    ticks = [0.0]
    while ticks[-1] < top:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def category_text(table: ChartTable, index: int) -> str:
    category = table.categories[index]
    if table.kind == "timeseries" and "T" in category:
        return category[:16].replace("T", " ") + " UTC"
    return category


def describe(table: ChartTable, index: int) -> str:
    """One category's values as a sentence (the readout and the screen reader's text)."""
    values = table.values[index]
    parts = [f"{s} {format_value(table, v)}" for s, v in zip(table.series, values, strict=True)]
    if table.kind == "stacked" and len(values) > 1:
        parts.append(f"total {format_value(table, sum(values))}")
    text = f"{category_text(table, index)}: {', '.join(parts)}"
    if table.notes:
        text += f" ({table.note_header} {table.notes[index]})"
    return text


def summary(table: ChartTable) -> str:
    if not table.categories:
        return "no data yet"
    if table.kind == "timeseries":
        totals = [sum(v) for v in table.values]
        total = sum(totals)
        if total == 0:
            return f"none in the {len(totals)} hours shown"
        busiest = max(range(len(totals)), key=totals.__getitem__)
        return (
            f"{format_value(table, total)} in the {len(totals)} hours shown; busiest "
            f"{describe(table, busiest)}"
        )
    return "; ".join(describe(table, i) for i in range(len(table.categories)))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "chart"


class Chart(QWidget):
    """One chart; ``table`` may be replaced (a refresh) with :meth:`set_table`."""

    def __init__(self, table: ChartTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(320)
        self.current: int | None = None
        self.table = table
        self.set_table(table)

    # -- data -------------------------------------------------------------------------------

    def set_table(self, table: ChartTable) -> None:
        self.table = table
        if self.current is not None and self.current >= len(table.categories):
            self.current = None
        self.setObjectName(f"chart-{table.key}")
        self.setAccessibleName(table.title)
        self._describe()
        self.updateGeometry()
        self.update()

    def _describe(self) -> None:
        text = summary(self.table)
        if self.current is not None:
            text = describe(self.table, self.current) + ". " + text
        self.setAccessibleDescription(text)

    # -- geometry ---------------------------------------------------------------------------

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        title = QFont(base)
        title.setBold(True)
        title.setPointSizeF(base.pointSizeF() * 1.1 if base.pointSizeF() > 0 else 10)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.9 if base.pointSizeF() > 0 else 8)
        return title, base, small

    def _header_height(self) -> int:
        title, _base, small = self._fonts()
        height = QFontMetrics(title).height() + 4
        height += QFontMetrics(small).height() + 2  # subtitle or readout line
        if len(self.table.series) > 1:
            height += QFontMetrics(small).height() + 4
        return height

    def _row_height(self) -> int:
        line = QFontMetrics(self.font()).height()
        lanes = 1 if self.table.kind == "stacked" else len(self.table.series)
        return max(line + 6, lanes * max(line - 4, 6) + 8)

    def sizeHint(self) -> QSize:
        return QSize(520, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self._height())

    def _height(self) -> int:
        header = self._header_height()
        if self.table.kind in ("timeseries", "histogram"):
            return header + TIME_SERIES_HEIGHT
        axis = QFontMetrics(self.font()).height() + 6
        rows = max(len(self.table.categories), 1)
        return header + rows * self._row_height() + axis + 2 * MARGIN

    # -- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.paint(painter, self.width(), self.height())
        finally:
            painter.end()

    def paint(self, p: QPainter, width: int, height: int) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pal = self.palette()
        fg = pal.color(QPalette.ColorRole.Text)
        p.fillRect(0, 0, width, height, pal.color(QPalette.ColorRole.Base))
        if self.hasFocus():
            pen = QPen(pal.color(QPalette.ColorRole.Highlight), 2)
            p.setPen(pen)
            p.drawRect(QRect(1, 1, width - 2, height - 2))
        title_font, base, small = self._fonts()
        y = MARGIN
        p.setFont(title_font)
        p.setPen(fg)
        tm = QFontMetrics(title_font)
        p.drawText(QRect(MARGIN, y, width - 2 * MARGIN, tm.height()), LEFT, self.table.title)
        y += tm.height() + 4
        p.setFont(small)
        sm = QFontMetrics(small)
        muted = QColor(fg)
        muted.setAlpha(170)
        p.setPen(muted)
        line = self.table.subtitle
        if self.current is not None:
            line = describe(self.table, self.current)
            p.setPen(fg)
        p.drawText(
            QRect(MARGIN, y, width - 2 * MARGIN, sm.height()),
            LEFT,
            sm.elidedText(line, Qt.TextElideMode.ElideRight, width - 2 * MARGIN),
        )
        y += sm.height() + 2
        if len(self.table.series) > 1:
            self._legend(p, y, width, small, fg)
            y += sm.height() + 4
        body = QRect(MARGIN, y, width - 2 * MARGIN, height - y - MARGIN)
        p.setFont(base)
        if not self.table.categories:
            p.setPen(muted)
            p.drawText(body, Qt.AlignmentFlag.AlignCenter, "No data yet")
        elif self.table.kind in ("timeseries", "histogram"):
            self._columns(p, body, fg)
        else:
            self._bars(p, body, fg)

    def _legend(self, p: QPainter, y: int, width: int, font: QFont, fg: QColor) -> None:
        fm = QFontMetrics(font)
        x = MARGIN
        box = fm.height() - 4
        for i, name in enumerate(self.table.series):
            advance = box + 4 + fm.horizontalAdvance(name) + 12
            if x + advance > width - MARGIN and x > MARGIN:
                break  # the readout and the CSV still carry every series
            p.fillRect(QRect(x, y + 2, box, box), series_color(self.table, i))
            p.setPen(fg)
            p.drawText(QPoint(x + box + 4, y + fm.ascent()), name)
            x += advance

    def _bars(self, p: QPainter, body: QRect, fg: QColor) -> None:
        table = self.table
        fm = QFontMetrics(p.font())
        stacked = table.kind == "stacked"
        totals = [sum(v) if stacked else max(v, default=0) for v in table.values]
        ends = [self._value_text(i) for i in range(len(table.categories))]
        label_w = min(
            max(fm.horizontalAdvance(c) for c in table.categories) + 10, int(body.width() * 0.4)
        )
        value_w = max(fm.horizontalAdvance(t) for t in ends) + 10
        left = body.left() + label_w
        right = max(body.right() - value_w, left + 20)
        ticks = nice_ticks(max(totals, default=0), unit=table.unit)
        top_value = ticks[-1]
        row_h = self._row_height()
        rows_bottom = body.top() + row_h * len(table.categories)

        def x_of(value: float) -> float:
            return left + (right - left) * value / top_value

        grid = QColor(fg)
        grid.setAlpha(45)
        p.setPen(QPen(grid, 1))
        for tick in ticks:
            x = round(x_of(tick))
            p.drawLine(x, body.top(), x, rows_bottom)
        p.setPen(fg)
        for tick in ticks:
            text = format_value(table, tick)
            x = round(x_of(tick))
            w = fm.horizontalAdvance(text)
            p.drawText(QPoint(x - w // 2, rows_bottom + fm.ascent() + 3), text)
        lanes = 1 if stacked else len(table.series)
        for i, category in enumerate(table.categories):
            top = body.top() + i * row_h
            if i == self.current:
                highlight = QColor(self.palette().color(QPalette.ColorRole.Highlight))
                highlight.setAlpha(60)
                p.fillRect(QRect(body.left(), top, body.width(), row_h), highlight)
            p.setPen(fg)
            p.drawText(
                QRect(body.left(), top, label_w - 8, row_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                fm.elidedText(category, Qt.TextElideMode.ElideMiddle, label_w - 8),
            )
            lane_h = (row_h - 6) / lanes
            offset = 0.0
            for j, value in enumerate(table.values[i]):
                if value <= 0:
                    continue
                lane = 0 if stacked else j
                start = offset if stacked else 0.0
                x0, x1 = x_of(start), x_of(start + value)
                rect = QRect(
                    round(x0),
                    round(top + 3 + lane * lane_h),
                    max(round(x1 - x0), 1),
                    max(round(lane_h) - 1, 2),
                )
                single = NAMED_COLORS.get(category) if len(table.series) == 1 else None
                p.fillRect(rect, QColor(single) if single else series_color(table, j))
                if stacked:
                    offset += value
            p.setPen(fg)
            end = x_of(totals[i])
            p.drawText(
                QRect(round(end) + 5, top, value_w, row_h),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                ends[i],
            )

    def _value_text(self, index: int) -> str:
        table = self.table
        values = table.values[index]
        if table.kind == "stacked" or len(values) == 1:
            text = format_value(table, sum(values))
        else:
            text = " / ".join(format_value(table, v) for v in values)
        if table.notes:
            text += f"  {table.notes[index]}"
        return text

    def _columns(self, p: QPainter, body: QRect, fg: QColor) -> None:
        table = self.table
        fm = QFontMetrics(p.font())
        totals = [sum(v) for v in table.values]
        ticks = nice_ticks(max(totals, default=0), unit=table.unit)
        top_value = ticks[-1]
        axis_w = max(fm.horizontalAdvance(format_value(table, t)) for t in ticks) + 8
        axis_h = fm.height() + 6
        # Room above the top tick for its label and for the value over the tallest bar.
        pad = fm.height()
        plot = QRect(
            body.left() + axis_w,
            body.top() + pad,
            body.width() - axis_w,
            body.height() - axis_h - pad,
        )
        n = len(table.categories)
        step = plot.width() / n
        gap = 1 if step > 3 else 0
        grid = QColor(fg)
        grid.setAlpha(45)
        for tick in ticks:
            y = round(plot.bottom() - plot.height() * tick / top_value)
            p.setPen(QPen(grid, 1))
            p.drawLine(plot.left(), y, plot.right(), y)
            p.setPen(fg)
            text = format_value(table, tick)
            p.drawText(
                QRect(body.left(), y - fm.height() // 2, axis_w - 6, fm.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        for i in range(n):
            x0 = plot.left() + i * step
            if i == self.current:
                highlight = QColor(self.palette().color(QPalette.ColorRole.Highlight))
                highlight.setAlpha(70)
                p.fillRect(
                    QRect(round(x0), plot.top(), max(round(step), 2), plot.height()), highlight
                )
            base = 0.0
            for j, value in enumerate(table.values[i]):
                if value <= 0:
                    continue
                y1 = plot.bottom() - plot.height() * (base + value) / top_value
                y0 = plot.bottom() - plot.height() * base / top_value
                rect = QRect(
                    round(x0) + gap,
                    round(y1),
                    max(round(step) - 2 * gap, 1),
                    max(round(y0 - y1), 1),
                )
                p.fillRect(rect, series_color(table, j))
                base += value
            if table.kind == "histogram" and totals[i] > 0:
                text = format_value(table, totals[i])
                y_top = plot.bottom() - plot.height() * totals[i] / top_value
                p.setPen(fg)
                p.drawText(
                    QRect(round(x0), round(y_top) - fm.height(), round(step), fm.height()),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    text,
                )
        p.setPen(fg)
        p.drawLine(plot.left(), plot.bottom(), plot.right(), plot.bottom())
        self._x_labels(p, plot, step, fm)

    def _x_labels(self, p: QPainter, plot: QRect, step: float, fm: QFontMetrics) -> None:
        table = self.table
        y = plot.bottom() + fm.ascent() + 3
        if table.kind == "histogram":
            for i, category in enumerate(table.categories):
                text = fm.elidedText(category, Qt.TextElideMode.ElideRight, max(round(step) - 2, 8))
                x = plot.left() + i * step + (step - fm.horizontalAdvance(text)) / 2
                p.drawText(QPoint(round(x), y), text)
            return
        # Along time: a date under each midnight that has room, else under the first hour.
        last_end = -1e9
        for i, category in enumerate(table.categories):
            if not (category[11:13] == "00" or i == 0):
                continue
            text = category[5:10]
            x = plot.left() + i * step
            if x < last_end + 6 or x + fm.horizontalAdvance(text) + 2 > plot.right():
                continue
            p.drawLine(round(x), plot.bottom(), round(x), plot.bottom() + 3)
            p.drawText(QPoint(round(x) + 2, y), text)
            last_end = x + fm.horizontalAdvance(text)

    # -- keyboard, menu, saving -------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        n = len(self.table.categories)
        forward = {Qt.Key.Key_Down, Qt.Key.Key_Right}
        backward = {Qt.Key.Key_Up, Qt.Key.Key_Left}
        if key == Qt.Key.Key_Menu or (
            key == Qt.Key.Key_F10 and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.menu().popup(self.mapToGlobal(self.rect().center()))
            return
        if n and (key in forward or key in backward or key in (Qt.Key.Key_Home, Qt.Key.Key_End)):
            if key == Qt.Key.Key_Home:
                self.current = 0
            elif key == Qt.Key.Key_End:
                self.current = n - 1
            elif self.current is None:
                self.current = 0 if key in forward else n - 1
            else:
                self.current = (self.current + (1 if key in forward else -1)) % n
            self._describe()
            self.update()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("chart-menu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction("Save as &PNG…", self.ask_save_png)
        menu.addAction("Save as &CSV…", self.ask_save_csv)
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.menu().popup(event.globalPos())

    def render_png(self, scale: int = PNG_SCALE) -> bytes:
        image = QImage(self.width() * scale, self.height() * scale, QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(scale)
        painter = QPainter(image)
        try:
            self.paint(painter, self.width(), self.height())
        finally:
            painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())

    def save_png(self, path: Path) -> None:
        save_bytes(self.render_png(), path)

    def save_csv(self, path: Path) -> None:
        save_csv(self.table, path)

    def ask_save_png(self) -> Path | None:
        return self._ask_and_save("PNG image (*.png)", ".png", self.save_png)

    def ask_save_csv(self) -> Path | None:
        return self._ask_and_save("CSV table (*.csv)", ".csv", self.save_csv)

    def _ask_and_save(
        self, file_filter: str, suffix: str, save: Callable[[Path], None]
    ) -> Path | None:
        start = str(Path(_last_folder[0]) / f"{slug(self.table.title)}{suffix}")
        name, _ = QFileDialog.getSaveFileName(self, f"Save {self.table.title}", start, file_filter)
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        try:
            save(path)
        except OSError as exc:
            message_box(
                self,
                "Could not save",
                f"Could not save {path}: {exc.strerror or exc}",
                QMessageBox.Icon.Critical,
            ).open()
            return None
        _last_folder[0] = str(path.parent)
        return path


#: Where the last chart was saved, so the next Save dialog opens there.
_last_folder: list[str] = [str(Path.home())]


class ChartPanel(QFrame):
    """A chart with its two Save buttons."""

    def __init__(self, table: ChartTable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.chart = Chart(table, self)
        self.png_button = QPushButton("Save as PNG…", self)
        self.csv_button = QPushButton("Save as CSV…", self)
        self.png_button.clicked.connect(lambda _checked=False: self.chart.ask_save_png())
        self.csv_button.clicked.connect(lambda _checked=False: self.chart.ask_save_csv())
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.png_button)
        buttons.addWidget(self.csv_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.chart)
        layout.addStretch(1)  # a shorter chart beside a taller one stays at the top
        layout.addLayout(buttons)
        self.set_table(table)

    def set_table(self, table: ChartTable) -> None:
        self.chart.set_table(table)
        self.setObjectName(f"panel-{table.key}")
        self.png_button.setAccessibleName(f"Save {table.title} as PNG")
        self.csv_button.setAccessibleName(f"Save {table.title} as CSV")


def panels_by_key(panels: Sequence[ChartPanel]) -> dict[str, ChartPanel]:
    return {panel.chart.table.key: panel for panel in panels}
