"""The overview's charts three ways: our QPainter ``Chart``, QtCharts (PySide6-Addons), pyqtgraph.

Each variant draws the same stacked horizontal bar chart (documents by status for six
annotators, four series) alone in a window, offscreen, in a fresh process, so start-up is
measured cold. A baseline process shows an empty ``QWidget`` of the same size: the floor any
Qt window pays. For each variant the run prints:

* ``chart``: wall time from the moment the application's own modules are loaded (the overview
  service, which every variant imports first) to the chart's first paint: the chart library's
  import, building the chart and painting it (median of ``--runs`` processes), and the same
  minus the baseline; ``process``: the whole process, interpreter start to exit;
* ``rss``: peak resident memory of the process;
* ``png``: whether the chart can be saved as a PNG in a few lines, and how long it took;
* ``dark/light``: the chart's mean brightness (0-255) with a dark palette set on the
  application (as a dark desktop theme does), then after switching to the light one: a chart
  that follows the theme by itself is dark, then light;
* ``keys``: whether pressing Right with the chart focused changes what is read out (the
  accessible description) or drawn, i.e. whether a keyboard user can walk the bars; and how
  many children the chart exposes to screen readers.

Variants whose package is missing are reported as such. Install size is not measured here: it
is ``pip download`` / ``du`` of a virtual environment (docs/adr/0015-charts-stay-qpainter.md).

    python benchmarks/bench_charts.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ("alice", "bob", "chen", "dana", "emeka", "farah")
SERIES = ("New", "In progress", "Done", "Skipped")
VALUES = (
    (12, 3, 40, 1),
    (8, 5, 52, 0),
    (20, 1, 18, 4),
    (0, 0, 61, 2),
    (15, 7, 30, 3),
    (9, 2, 44, 0),
)
COLORS = ("#999999", "#E69F00", "#009E73", "#CC79A7")
VARIANTS = ("baseline", "qpainter", "qtcharts", "pyqtgraph")


def build(variant: str):
    """The chart widget and a function that saves it as PNG."""
    if variant == "baseline":
        from PySide6.QtWidgets import QWidget

        widget = QWidget()
        return widget, None
    if variant == "qpainter":
        from annotator.services.overview import ChartTable
        from annotator.ui.charts import Chart

        table = ChartTable(
            key="status",
            title="Documents by status",
            kind="stacked",
            category_header="annotator",
            categories=CATEGORIES,
            series=SERIES,
            values=tuple(tuple(float(v) for v in row) for row in VALUES),
        )
        chart = Chart(table)
        return chart, lambda path: path.write_bytes(chart.render_png())
    if variant == "qtcharts":
        from PySide6.QtCharts import (
            QBarCategoryAxis,
            QBarSet,
            QChart,
            QChartView,
            QHorizontalStackedBarSeries,
            QValueAxis,
        )
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QColor

        series = QHorizontalStackedBarSeries()
        for j, name in enumerate(SERIES):
            bar_set = QBarSet(name)
            bar_set.append([float(row[j]) for row in VALUES])
            bar_set.setColor(QColor(COLORS[j]))
            series.append(bar_set)
        chart = QChart()
        chart.setTitle("Documents by status")
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(list(CATEGORIES))
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        values = QValueAxis()
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)
        view = QChartView(chart)
        view.chart_ = chart  # keep the chart alive with its view
        return view, lambda path: view.grab().save(str(path), "PNG")
    if variant == "pyqtgraph":
        import pyqtgraph
        import pyqtgraph.exporters

        plot = pyqtgraph.PlotWidget(title="Documents by status")
        left = [0.0] * len(CATEGORIES)
        for j, _name in enumerate(SERIES):
            widths = [float(row[j]) for row in VALUES]
            plot.addItem(
                pyqtgraph.BarGraphItem(
                    x0=list(left),
                    y=list(range(len(CATEGORIES))),
                    height=0.6,
                    width=widths,
                    brush=COLORS[j],
                )
            )
            left = [a + b for a, b in zip(left, widths, strict=True)]
        plot.getAxis("left").setTicks([list(enumerate(CATEGORIES))])

        def save(path: Path) -> None:
            pyqtgraph.exporters.ImageExporter(plot.plotItem).export(str(path))

        return plot, save
    raise SystemExit(f"unknown variant {variant}")


def child(variant: str) -> None:
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtGui import QAccessible, QColor, QPalette
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMainWindow

    smooth = Qt.TransformationMode.SmoothTransformation
    app = QApplication([])
    app.setStyle("Fusion")
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.Base, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.Button, "#303134"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
    ):
        palette.setColor(role, QColor(color))
    app.setPalette(palette)

    # The application has its overview service loaded before any chart is drawn; only what
    # follows (the chart library's import, building, first paint) is the chart's cost.
    sys.path.insert(0, str(ROOT))
    import annotator.services.overview  # noqa: F401

    ready = time.perf_counter()
    widget, save = build(variant)
    painted: list[float] = []

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    watch = Watch()
    target = widget.viewport() if hasattr(widget, "viewport") else widget
    target.installEventFilter(watch)
    window = QMainWindow()
    window.setCentralWidget(widget)
    window.resize(640, 360)
    window.show()
    while not painted:
        app.processEvents()
    app.processEvents()
    result: dict[str, object] = {
        "first_paint_ms": (painted[0] - STARTED) * 1e3,
        "chart_ms": (painted[0] - ready) * 1e3,
    }

    def brightness() -> int:
        # The whole chart averaged to one pixel: mostly background, so dark under a dark theme
        # only if the chart follows it.
        pixel = QColor(widget.grab().toImage().scaled(1, 1, mode=smooth).pixel(0, 0))
        return round(0.299 * pixel.red() + 0.587 * pixel.green() + 0.114 * pixel.blue())

    result["dark"] = brightness()
    app.setPalette(app.style().standardPalette())  # back to the light palette
    app.processEvents()
    result["light"] = brightness()
    app.setPalette(palette)
    app.processEvents()

    interface = QAccessible.queryAccessibleInterface(widget)
    result["accessible_children"] = interface.childCount() if interface is not None else None
    widget.setFocus()
    app.processEvents()
    before = (widget.accessibleDescription(), widget.grab().toImage())
    QTest.keyClick(widget, Qt.Key.Key_Right)
    app.processEvents()
    after = (widget.accessibleDescription(), widget.grab().toImage())
    result["right_arrow_changes"] = before[0] != after[0] or before[1] != after[1]
    result["takes_focus"] = widget.hasFocus()

    if save is not None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "chart.png"
            started = time.perf_counter()
            try:
                save(path)
                result["png_ms"] = (time.perf_counter() - started) * 1e3
                result["png_bytes"] = path.stat().st_size
            except Exception as error:
                result["png_error"] = repr(error)
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run(variant: str) -> tuple[float, dict[str, object]] | str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", variant],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    wall = (time.perf_counter() - started) * 1e3
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return last
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    figures: dict[str, tuple[float, float, dict[str, object]]] = {}
    for variant in VARIANTS:
        walls, paints, last = [], [], {}
        for _ in range(args.runs):
            outcome = run(variant)
            if isinstance(outcome, str):
                print(f"{variant}: not measured ({outcome})")
                break
            wall, last = outcome
            walls.append(wall)
            paints.append(float(last["chart_ms"]))  # type: ignore[arg-type]
        else:
            figures[variant] = (statistics.median(walls), statistics.median(paints), last)
    base = figures.get("baseline", (0.0, 0.0, {}))[1]
    print(f"median of {args.runs} processes, offscreen")
    print(
        f"{'variant':<10} {'chart':>9} {'- baseline':>10} {'process':>8} {'rss':>7} "
        f"{'png':>8} {'dark/light':>10} {'Right key':>9} {'a11y kids':>9}"
    )
    for variant, (wall, paint, last) in figures.items():
        png = f"{last['png_ms']:.0f}ms" if "png_ms" in last else last.get("png_error", "-")
        print(
            f"{variant:<10} {paint:>7.0f}ms {paint - base:>8.0f}ms {wall:>6.0f}ms "
            f"{last['rss_mb']:>5.0f}MB {png!s:>8} {last['dark']!s:>4} / {last['light']!s:<3} "
            f"{'moves' if last['right_arrow_changes'] else 'nothing':>9} "
            f"{last['accessible_children']!s:>9}"
        )


if __name__ == "__main__":
    main()
