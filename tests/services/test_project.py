"""First run: an empty default project gets the demo articles, once."""

from __future__ import annotations

from pathlib import Path

from annotator.services.project import open_project
from annotator.storage.engine import default_path


def test_new_default_project_gets_the_demo_articles_once() -> None:
    db = open_project(None)
    assert db.path == default_path()
    with db.read() as store:
        ids = store.document_ids()
        assert len(ids) == 8
        # The demo outlets' appeals and footers are found as boilerplate.
        assert all(store.ignored(i) for i in ids)
        assert {store.document(i).source for i in ids} == {"northern-ledger", "harbour-post-daily"}
    db.close()
    again = open_project(None)
    with again.read() as store:
        assert store.document_count() == 8
    again.close()


def test_a_project_elsewhere_starts_empty(tmp_path: Path) -> None:
    db = open_project(tmp_path / "mine.sqlite")
    with db.read() as store:
        assert store.document_count() == 0
    db.close()
