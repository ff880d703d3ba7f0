"""Passwords on PostgreSQL: libpq's own means supply them (PGPASSWORD, a password file, a
service file), and no password ever appears in a message or a log line.

Against the real server of ``.ci/postgres`` (scram password authentication), through
``pg_url``: a fresh database whose URL carries no password; ``PGPASSWORD`` holds it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from annotator.core.errors import StorageError
from annotator.storage.database import Database
from annotator.storage.engine import mask, openable, resolve_url, without_password


@pytest.fixture
def password(pg_url: str) -> str:
    value = os.environ.get("PGPASSWORD")
    if not value:
        pytest.skip("these tests need the test role's password in PGPASSWORD (.ci/postgres)")
    assert make_url(pg_url).password is None
    return value


@pytest.fixture
def no_libpq_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither PGPASSWORD nor a password file: only what a test gives is there."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))


def _documents(target: str) -> int:
    db = Database.open(target)
    try:
        with db.read() as store:
            return store.document_count()
    finally:
        db.close()


def _pgpass(tmp_path: Path, url: str, password: str) -> Path:
    parsed = make_url(url)
    path = tmp_path / "pgpass"
    path.write_text(
        f"{parsed.host}:{parsed.port}:{parsed.database}:{parsed.username}:{password}\n",
        encoding="utf-8",
    )
    path.chmod(0o600)  # libpq ignores a password file others can read
    return path


def test_pgpassword_supplies_the_password(pg_url: str, password: str) -> None:
    assert _documents(pg_url) == 0


def test_without_a_password_the_message_says_so_and_names_the_url(
    pg_url: str, password: str, no_libpq_password: None
) -> None:
    with pytest.raises(StorageError) as info:
        Database.open(pg_url)
    message = str(info.value)
    assert mask(pg_url) in message and "password" in message


def test_a_password_file_supplies_the_password(
    pg_url: str,
    password: str,
    no_libpq_password: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("PGPASSFILE", str(_pgpass(tmp_path, pg_url, password)))
    assert _documents(pg_url) == 0


def test_a_service_file_names_the_server(
    pg_url: str,
    password: str,
    no_libpq_password: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    parsed = make_url(pg_url)
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[team]\nhost={parsed.host}\nport={parsed.port}\ndbname={parsed.database}\n"
        f"user={parsed.username}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    monkeypatch.setenv("PGPASSFILE", str(_pgpass(tmp_path, pg_url, password)))
    assert _documents("postgresql+psycopg:///?service=team") == 0
    monkeypatch.setenv("PGSERVICE", "team")
    assert _documents("postgresql+psycopg://") == 0
    assert _documents("postgresql://") == 0  # the plain scheme means psycopg too


def test_a_wrong_password_is_a_clear_message_without_it(pg_url: str, password: str) -> None:
    wrong = make_url(pg_url).set(password="wrong-secret-7")
    with pytest.raises(StorageError) as info:
        Database.open(openable(wrong))
    message = str(info.value)
    assert "password authentication failed" in message
    assert mask(wrong) in message and "wrong-secret-7" not in message


def test_a_password_in_the_url_never_reaches_a_log_or_message(
    pg_url: str, password: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "sqlalchemy.pool", "alembic"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        url = openable(make_url(pg_url).set(password=password))
        db = Database.open(url)
        try:
            with db.write() as store:
                store.set_setting("probe", 1)
            with pytest.raises(StorageError) as info, db.write() as store:
                store.insert_documents([{"title": "t", "text": "x", "sha256": "1" * 64}])
                store.insert_documents([{"title": "t", "text": "x", "sha256": "1" * 64}])
            shown = [db.display_url, str(info.value), repr(db.engine), str(db.url)]
        finally:
            db.close()
    finally:
        for name in ("sqlalchemy.engine", "sqlalchemy.pool", "alembic"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    assert caplog.records, "nothing was logged: the check below would prove nothing"
    assert password not in caplog.text
    for text in shown:
        assert password not in text


def test_urls_to_remember_and_to_open() -> None:
    url = resolve_url("postgresql://lead:s3cret@db.example:5433/corpus?sslmode=require")
    kept = without_password(url)
    assert kept.password is None and "s3cret" not in openable(kept)
    assert openable(kept) == "postgresql+psycopg://lead@db.example:5433/corpus?sslmode=require"
    # A password with URL syntax in it survives the trip through text.
    odd = url.set(password="p@ss/w:rd%")
    assert resolve_url(openable(odd)).password == "p@ss/w:rd%"
    assert "p@ss" not in mask(odd)
