"""Databases filled once per module (import and boilerplate-free), exported many times."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.storage.database import Database
from tests.export.corpus import corpus, fill, flag_record


def _database(folder: Path, records: list) -> Iterator[Database]:
    db = Database.open(folder / "project.sqlite")
    fill(db, folder, records)
    yield db
    db.close()


@pytest.fixture(scope="module")
def flag_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """Only the small ``flag`` document, done by ana."""
    yield from _database(tmp_path_factory.mktemp("flag"), [flag_record()])


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The whole fixture corpus (see corpus.py)."""
    yield from _database(tmp_path_factory.mktemp("corpus"), corpus())
