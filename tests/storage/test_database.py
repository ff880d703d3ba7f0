from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from annotator.core.errors import DatabaseCorruptError, StorageError
from annotator.storage import backup as backups
from annotator.storage import migrate
from annotator.storage.database import Database
from annotator.storage.engine import default_path, mask, resolve_url
from annotator.storage.orm import Base

FIXTURES = Path(__file__).parent / "fixtures"


def test_new_database_is_created_at_head(backend_url: str) -> None:
    db = Database.open(backend_url)
    assert db.report.created
    assert migrate.current_revision(db.engine) == migrate.head_revision()
    db.close()
    again = Database.open(backend_url)
    assert not again.report.created
    assert again.report.migration is not None
    assert again.report.migration.before == migrate.head_revision()
    again.close()


def test_migrations_match_the_models(backend_db: Database) -> None:
    with backend_db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_sqlite_pragmas(db: Database) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_write_transactions_take_the_write_lock_at_begin(db: Database, db_path: Path) -> None:
    """BEGIN IMMEDIATE: while a write unit of work is open, another writer cannot start one,
    so no transaction ever has to upgrade a read lock to a write lock."""
    with db.write() as store:
        store.set_setting("probe", 1)
        other = sqlite3.connect(db_path, timeout=0.05, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    with db.read() as store:
        assert store.get_setting("probe") == 1


def test_concurrent_writers_do_not_fail(backend_db: Database) -> None:
    """Two threads, each with its own units of work, interleave writes without errors."""
    errors: list[BaseException] = []

    def work(tag: str) -> None:
        try:
            for i in range(40):
                with backend_db.write() as store:
                    current = store.get_setting(tag, 0)
                    store.set_setting(tag, current + 1)
                    store.log("probe", tag, None, {"i": i})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(name,)) for name in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with backend_db.read() as store:
        assert store.get_setting("a") == 40
        assert store.get_setting("b") == 40


def test_default_location_and_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert resolve_url(None).database == str(default_path())
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "env.sqlite"))
    assert resolve_url(None).database == str(tmp_path / "env.sqlite")
    assert resolve_url(str(tmp_path / "x.sqlite")).database == str(tmp_path / "x.sqlite")
    url = resolve_url("postgresql://lead:s3cret@db.example/corpus")
    assert url.drivername == "postgresql+psycopg"
    assert "s3cret" not in mask(url)
    assert "s3cret" not in mask("postgresql://lead:s3cret@db.example/corpus")


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="not an Annotator project"):
        Database.open(path)


def test_a_foreign_postgresql_database_is_refused(pg_url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE recipes (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(StorageError, match="not an Annotator project") as info:
        Database.open(pg_url)
    assert mask(pg_url) in str(info.value)


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    # Keep the header (so it still looks like SQLite) and scramble the b-tree pages.
    for i in range(1024, len(data)):
        data[i] = (data[i] * 7 + 13) % 256
    path.write_bytes(bytes(data))


def test_corrupt_database_gives_a_recovery_message(db_path: Path) -> None:
    db = Database.open(db_path)
    with db.write() as store:
        store.set_setting("x", "y" * 5000)
    db.close()
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    backups.backup(db_path)
    _corrupt(db_path)
    with pytest.raises(DatabaseCorruptError) as info:
        Database.open(db_path)
    message = str(info.value)
    assert str(db_path) in message and "backup" in message
    # No backup of a damaged file is taken: the good ones stay.
    result = backups.backup(db_path)
    assert result.path is None and result.skipped


def test_backups_rotate(db: Database, db_path: Path) -> None:
    made = [backups.backup(db_path, keep=3).path for _ in range(5)]
    assert all(p is not None and p.exists() for p in made[-3:])
    assert len(backups.list_backups(db_path)) == 3
    copy = sqlite3.connect(made[-1])
    head = (migrate.head_revision(),)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == head
    copy.close()


def test_open_takes_an_automatic_backup_of_an_existing_project(db_path: Path) -> None:
    Database.open(db_path).close()
    assert backups.list_backups(db_path) == []  # a brand-new file needs none
    db = Database.open(db_path)
    assert db.report.backup is not None and db.report.backup.path is not None
    db.close()
    Database.open(db_path).close()  # within the interval: no second backup
    assert len(backups.list_backups(db_path)) == 1


def test_released_schema_fixtures_open_at_head(tmp_path: Path) -> None:
    """Every released schema has a fixture database; each must open and migrate to head."""
    fixtures = sorted(FIXTURES.glob("schema-*.sqlite"))
    assert fixtures, "no fixture databases found"
    for fixture in fixtures:
        path = tmp_path / fixture.name
        shutil.copy(fixture, path)
        db = Database.open(path)
        assert migrate.current_revision(db.engine) == migrate.head_revision()
        with db.read() as store:
            assert store.document_count() > 0
        db.close()


def test_an_older_schema_is_backed_up_before_upgrading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Add a revision after head in a copy of the migrations and open an existing project."""
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "schema-0001.sqlite", path)
    head = migrate.head_revision()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_probe.py").write_text(
        '"""probe"""\n'
        "import sqlalchemy as sa\nfrom alembic import op\n"
        f"revision = '9999'\ndown_revision = '{migrate.head_revision()}'\n"
        "branch_labels = None\ndepends_on = None\n"
        "def upgrade():\n"
        "    op.create_table('probe', sa.Column('id', sa.Integer, primary_key=True))\n"
        "def downgrade():\n    op.drop_table('probe')\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    db = Database.open(path, auto_backup=False)
    report = db.report.migration
    assert report is not None and report.before == "0001" and report.after == "9999"
    assert head != "9999"
    assert report.backup is not None and report.backup.exists()
    saved = sqlite3.connect(report.backup)
    assert saved.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    saved.close()
    db.close()


def test_the_head_read_from_the_revision_files_is_alembics() -> None:
    """Opening a project at head skips Alembic by reading the newest revision from the files;
    that reading must name the same revision Alembic does."""
    assert migrate.stamped_head() == migrate.head_revision()


def test_opening_a_project_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    """Alembic costs a fifth of a second of the window's start; a project already at head
    does not need it. A fresh process, so that nothing imported it before."""
    path = tmp_path / "project.sqlite"
    Database.open(path).close()
    script = (
        "import sys\n"
        "from annotator.storage.database import Database\n"
        f"db = Database.open({str(path)!r}, auto_backup=False)\n"
        "assert db.report.migration is not None and not db.report.migration.created\n"
        "db.close()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
