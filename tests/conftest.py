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


# -- PostgreSQL ---------------------------------------------------------------------------------
# Tests that need a server read ANNOTATOR_TEST_PG (a URL of a role that may create databases,
# password from PGPASSWORD or .pgpass as libpq reads it). `.ci/postgres` starts one on loopback
# and prints that environment; without it those tests skip and say why.

PG_ENV = "ANNOTATOR_TEST_PG"


def _pg_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(
            f'PostgreSQL tests need a server: set {PG_ENV} (eval "$(bash .ci/postgres)" '
            "starts one on loopback)"
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests need psycopg: pip install -e '.[test,postgres]'")
    return url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped after the test."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(_pg_admin_url())
    name = f"annotator_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the server is configured but unreachable: say so, do not skip
        engine.dispose()
        raise RuntimeError(f"{PG_ENV} is set but the server refused: {exc}") from exc
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh project database on each backend (the PostgreSQL case skips without a server)."""
    if request.param == "sqlite":
        return str(tmp_path / "project.sqlite")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def backend_db(backend_url: str) -> Iterator[object]:
    from annotator.storage.database import Database

    database = Database.open(backend_url)
    yield database
    database.close()
