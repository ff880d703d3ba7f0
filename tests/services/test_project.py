"""Opening a project (first run: an empty default project gets the demo articles, once), and
what is said about an open one: where it is, which target names it, what may be written down."""

from __future__ import annotations

from pathlib import Path

from annotator.services.project import (
    open_project,
    places,
    same_project,
    writable_target,
)
from annotator.storage.database import Database
from annotator.storage.engine import data_dir, default_path, make_engine, resolve_url


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


def test_where_a_project_file_and_its_backups_are(tmp_path: Path) -> None:
    db = open_project(tmp_path / "mine.sqlite")
    where = places(db)
    assert where.project == str(tmp_path / "mine.sqlite")
    assert where.backups == tmp_path / "backups"
    assert where.default_folder == data_dir()
    db.close()
    team = Database(make_engine(resolve_url("postgresql://ana:s3cret@db.example/corpus")))
    where = places(team)
    assert where.backups is None  # the server keeps them
    assert where.project == "postgresql+psycopg://ana:***@db.example/corpus"


def test_which_target_names_the_open_project(tmp_path: Path) -> None:
    db = open_project(tmp_path / "mine.sqlite")
    assert same_project(str(tmp_path / "mine.sqlite"), db)
    assert same_project(f"sqlite:///{tmp_path / 'mine.sqlite'}", db)
    assert not same_project(str(tmp_path / "other.sqlite"), db)
    assert not same_project("postgresql://ana@db.example/corpus", db)
    assert not same_project(str(tmp_path / "mine.sqlite"), None)
    db.close()
    team = Database(make_engine(resolve_url("postgresql://ana@db.example/corpus")))
    assert same_project("postgresql+psycopg://ana@db.example/corpus", team)
    assert not same_project("postgresql+psycopg://ana@db.example/other", team)


def test_what_recent_projects_may_write_down(tmp_path: Path) -> None:
    assert writable_target(str(tmp_path / "a.sqlite")) == str(tmp_path / "a.sqlite")
    assert writable_target("postgresql://ana:s3cret@db/corpus?sslpassword=x&sslmode=require") == (
        "postgresql+psycopg://ana@db/corpus?sslmode=require"
    )
    assert writable_target("postgresql://ana@db/corpus") == "postgresql://ana@db/corpus"
    assert writable_target("postgresql://ana@db:port/corpus") is None  # not a URL at all
