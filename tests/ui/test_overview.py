"""View > Overview opened with its key; its charts carry the figures `annotator stats --json`
prints for the same project; each chart saves as PNG and CSV; a dark palette renders."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QFileDialog

from annotator.cli import EXIT_OK, main
from annotator.services.overview import ChartTable
from annotator.storage.database import Database
from annotator.ui.charts import Chart
from annotator.ui.main_window import MainWindow
from annotator.ui.overview import OverviewWindow
from tests.services.overview_project import build


@pytest.fixture
def window(db: Database, qtbot) -> Iterator[MainWindow]:
    with db.write() as store:
        store.set_setting(
            "suggesters", {name: {"enabled": False} for name in ("gazetteer", "rules", "claims")}
        )
    build(db)
    win = MainWindow(db, "ana")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    assert win.executor.wait_idle()  # the first document (or none, all being taken) is shown
    win.article.setFocus()
    yield win
    win.executor.wait_idle()


def open_overview(window: MainWindow, qtbot) -> OverviewWindow:
    qtbot.keyClick(
        window.article,
        Qt.Key.Key_O,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    overview = window.findChild(OverviewWindow)
    assert overview is not None and overview.isVisible()
    qtbot.waitUntil(lambda: overview.overview is not None and bool(overview.panels), timeout=10_000)
    assert window.executor.wait_idle()
    return overview


def stats_json(db: Database, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["stats", "--db", str(db.path), "--json"]) == EXIT_OK
    return orjson.loads(capsys.readouterr().out)


def without_clock(figures: dict[str, Any]) -> dict[str, Any]:
    copy = orjson.loads(orjson.dumps(figures))
    copy["throughput"].pop("since")
    copy["throughput"].pop("until")
    return copy


def test_charts_show_the_figures_of_stats_json(
    window: MainWindow, db: Database, qtbot, capsys: pytest.CaptureFixture[str]
) -> None:
    overview = open_overview(window, qtbot)
    printed = stats_json(db, capsys)
    assert overview.overview is not None
    assert without_clock(overview.overview.to_json()) == without_clock(printed)

    tables = {key: panel.chart.table for key, panel in overview.panels.items()}
    names = {"New": "new", "In progress": "in_progress", "Done": "done", "Skipped": "skipped"}
    status = tables["status"].column("documents")
    assert {names[k]: v for k, v in status.items()} == printed["status"]
    for person, figures in printed["per_annotator"].items():
        progress = tables["status_by_annotator"]
        row = progress.values[progress.categories.index(person)]
        assert dict(zip((names[s] for s in progress.series), row, strict=True)) == figures["status"]
        labels = {k: v for k, v in tables["entity_labels"].column(person).items() if v}
        assert labels == figures["labels"]["entity"]
        assert tables["claim_types"].column(person) == figures["claim_types"]
        medians = tables["time_by_annotator"].column("median")
        assert medians[person] == figures["time_per_document"]["median_seconds"]
    assert tables["gold_status"].column("documents")["Done"] == printed["gold"]["status"]["done"]
    assert list(tables["time_histogram"].column("documents").values()) == [
        b["documents"] for b in printed["time_per_document"]["histogram"]
    ]
    hours = tables["spans_per_hour"]
    assert len(hours.categories) == printed["throughput"]["days"] * 24
    assert sum(hours.column("spans created").values()) == sum(
        h["spans_created"] for h in printed["throughput"]["hours"]
    )
    acceptance = tables["acceptance"]
    assert [
        (c, a, r) for c, (a, r) in zip(acceptance.categories, acceptance.values, strict=True)
    ] == [
        (f"{row['suggester']} · {row['label']}", row["accepted"], row["rejected"])
        for row in printed["acceptance"]["by_label"]
    ]

    # The charts are reachable and readable from the keyboard.
    chart = overview.panels["status"].chart
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    qtbot.keyClick(chart, Qt.Key.Key_Down)
    assert chart.accessibleName() == "Documents by status"
    assert chart.accessibleDescription().startswith("In progress: documents 1.")

    qtbot.keyClick(overview, Qt.Key.Key_Escape)
    assert not overview.isVisible()


def test_one_annotator_and_refresh(
    window: MainWindow, db: Database, qtbot, capsys: pytest.CaptureFixture[str]
) -> None:
    overview = open_overview(window, qtbot)
    assert [overview.who.itemData(i) for i in range(overview.who.count())] == [
        None,
        "ana",
        "bob",
        "gold",
    ]
    overview.who.setCurrentIndex(2)
    qtbot.mouseClick(overview.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: overview.overview.annotator == "bob", timeout=10_000)
    assert overview.panels["status_by_annotator"].chart.table.categories == ("bob",)
    assert "gold_status" not in overview.panels
    capsys.readouterr()
    assert main(["stats", "--db", str(db.path), "--json", "--annotator", "bob"]) == EXIT_OK
    printed = orjson.loads(capsys.readouterr().out)
    assert without_clock(overview.overview.to_json()) == without_clock(printed)


def test_save_as_png_and_csv(
    window: MainWindow, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    overview = open_overview(window, qtbot)
    panel = overview.panels["entity_labels"]
    asked: list[str] = []

    def choose(parent, caption, start, file_filter):
        asked.append(start)
        suffix = ".png" if "png" in file_filter else ".csv"
        return str(tmp_path / f"labels{suffix}"), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    qtbot.mouseClick(panel.png_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.csv_button, Qt.MouseButton.LeftButton)
    assert asked[0].endswith("entity-labels.png") and asked[1].endswith("entity-labels.csv")

    image = QImage(str(tmp_path / "labels.png"))
    assert not image.isNull()
    assert (image.width(), image.height()) == (panel.chart.width() * 2, panel.chart.height() * 2)
    with (tmp_path / "labels.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["label", "ana", "bob"],
        ["PERSON", "2", "1"],
        ["ORG", "2", "0"],
        ["GPE", "0", "1"],
    ]
    # The context menu offers the same two actions.
    menu = panel.chart.menu()
    assert [a.text() for a in menu.actions()] == ["Save as &PNG…", "Save as &CSV…"]
    menu.close()


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.Base, "#15161a"),
        (QPalette.ColorRole.Text, "#e8eaed"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Button, "#303134"),
        (QPalette.ColorRole.ButtonText, "#e8eaed"),
        (QPalette.ColorRole.Highlight, "#8ab4f8"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def light_pixels(image: QImage) -> int:
    """Pixels bright enough to be the dark palette's text."""
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixelColor(x, y).lightness() > 180
    )


def test_dark_palette_renders(window: MainWindow, qtbot) -> None:
    overview = open_overview(window, qtbot)
    overview.setPalette(dark_palette())
    QApplication.processEvents()
    for key, panel in overview.panels.items():
        image = QImage.fromData(panel.chart.render_png(scale=1))
        assert not image.isNull(), key
        assert image.pixelColor(3, image.height() - 3) == QColor("#15161a"), key
        assert light_pixels(image) > 20, key  # the title and labels, in the palette's text colour


def test_an_empty_chart_says_so(qtbot) -> None:
    chart = Chart(ChartTable("x", "Nothing", "bars", "label", (), ("n",), ()))
    qtbot.addWidget(chart)
    chart.resize(400, chart.sizeHint().height())
    assert chart.accessibleDescription() == "no data yet"
    assert not QImage.fromData(chart.render_png()).isNull()


def test_the_overview_says_how_many_documents_are_near_duplicates(
    db: Database, qtbot, tmp_path: Path
) -> None:
    from annotator.services.importing import import_paths
    from tests.syndication import corpus, write_jsonl

    records, original_of = corpus(seed=31, originals=10, copies=6)
    import_paths(db, [write_jsonl(tmp_path / "all.jsonl", records)])
    groups = len(set(original_of.values()))
    win = MainWindow(db, "ana")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    assert win.executor.wait_idle()
    win.article.setFocus()
    overview = open_overview(win, qtbot)
    state = overview.state.text()
    assert f"({groups} groups of near-duplicates: {groups + 6} documents, 6 of them copies)" in (
        state
    )
    win.executor.wait_idle()
