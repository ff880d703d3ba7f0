"""File > Connect to team database's address: the password stays in memory, and the open
project's server fills the dialog."""

from __future__ import annotations

from pathlib import Path

from annotator.services.team_server import ServerAddress
from annotator.storage.database import Database
from annotator.storage.engine import make_engine, resolve_url


def test_a_server_address_keeps_its_password_out_of_sight() -> None:
    address = ServerAddress("db.example", 5433, "corpus", "ana", password="s3cret")
    assert "s3cret" not in repr(address) and "s3cret" not in address.shown()
    assert address.shown() == "postgresql+psycopg://ana:***@db.example:5433/corpus"
    assert "s3cret" not in address.remembered()
    assert resolve_url(address.target()).password == "s3cret"
    assert address.remembered() == "postgresql+psycopg://ana@db.example:5433/corpus"


def test_the_address_of_the_open_project(tmp_path: Path) -> None:
    # An engine connects only when used: neither database below is reached.
    team = Database(make_engine(resolve_url("postgresql://ana:s3cret@db.example:5433/corpus")))
    assert ServerAddress.of(team) == ServerAddress("db.example", 5433, "corpus", "ana")
    assert ServerAddress.of(team).password is None  # type: ignore[union-attr]
    plain = Database(make_engine(resolve_url("postgresql://db.example/corpus")))
    assert ServerAddress.of(plain) == ServerAddress("db.example", 5432, "corpus", "")
    project_file = Database(make_engine(resolve_url(tmp_path / "p.sqlite")))
    assert ServerAddress.of(project_file) is None
