"""Shared test set-up. Qt runs offscreen; nothing touches the user's real data directory."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets its own data directory and no inherited ``ANNOTATOR_DB``."""
    monkeypatch.setenv("ANNOTATOR_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "project.sqlite"


@pytest.fixture
def db(db_path: Path) -> Iterator[object]:
    from annotator.storage.database import Database

    database = Database.open(db_path)
    yield database
    database.close()
