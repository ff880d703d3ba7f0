"""Each label's description is its tooltip in the label bar and the inspector: shown
literally (escaped rich text) and refreshed when the schema changes."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QTextDocument

from annotator.core.schema import default_schema
from annotator.ui.label_bar import LabelBar, label_help
from annotator.ui.main_window import MainWindow
from tests.builders import insert_documents, suggestion, titled, turn_off_live_suggesters

HOSTILE = "People <img src='file:///etc/passwd'> & <b>titles</b>"


def shown(tip: str) -> str:
    """What Qt displays for a tooltip string (it renders rich text)."""
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()


def with_description(schema, name: str, description: str):
    entities = tuple(
        replace(e, description=description) if e.name == name else e for e in schema.entities
    )
    return replace(schema, entities=entities)


def test_label_bar_tooltips_are_the_descriptions_shown_literally(qtbot) -> None:
    bar = LabelBar()
    qtbot.addWidget(bar)
    schema = with_description(default_schema(), "PERSON", HOSTILE)
    bar.set_schema(schema)
    tip = bar.buttons["PERSON"].toolTip()
    assert "<img" not in tip and "<b>" not in tip
    assert shown(tip) == f"PERSON (key {schema.entity('PERSON').hotkey.upper()})\n{HOSTILE}"
    org = schema.entity("ORG")
    assert org.description and org.description in shown(bar.buttons["ORG"].toolTip())
    assert "claim" in shown(bar.buttons[schema.claim_label].toolTip()).lower()

    bar.set_schema(with_description(schema, "PERSON", "Named people only."))
    assert shown(bar.buttons["PERSON"].toolTip()).endswith("\nNamed people only.")


def test_label_help_without_description_or_hotkey() -> None:
    schema = default_schema()
    bare = replace(
        schema,
        entities=tuple(replace(e, description="", hotkey=None) for e in schema.entities),
    )
    assert label_help(bare, "ORG") == "ORG"
    assert label_help(bare, "NOPE") == "NOPE: not a label of this project's schema"


TEXT = "Storm closes port\nMayor Petra Novak said 300 homes had lost power.\n"


def test_inspector_tooltips_follow_the_schema(qtbot, db) -> None:
    with db.write() as store:
        turn_off_live_suggesters(store)
        (document,) = insert_documents(store, [titled(TEXT, "Storm")])
        start = TEXT.index("Petra Novak")
        store.add_suggestions([suggestion(document, start, start + 11, "PERSON", reason="n")])
        store.save_schema(with_description(default_schema(), "PERSON", HOSTILE))
    window = MainWindow(db, "ana")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.view is not None and window.article.focused is not None)
    inspector = window.inspector

    entry = inspector.list.item(0)
    assert HOSTILE in shown(entry.toolTip()) and "<img" not in entry.toolTip()
    assert HOSTILE in shown(inspector.kind.toolTip())
    assert HOSTILE in shown(window.label_bar.buttons["PERSON"].toolTip())

    # The project's schema changes: the window reloads it and every tooltip follows.
    with db.write() as store:
        store.save_schema(with_description(default_schema(), "PERSON", "Only named people."))
    window.reload_schema()
    assert window.executor.wait_idle()
    assert shown(inspector.list.item(0).toolTip()).endswith("\nOnly named people.")
    assert shown(inspector.kind.toolTip()).endswith("\nOnly named people.")
    assert shown(window.label_bar.buttons["PERSON"].toolTip()).endswith("\nOnly named people.")
