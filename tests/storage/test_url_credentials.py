"""No credential in a database URL is ever shown, logged or written down, wherever in the URL
it is: the password of ``user:password@``, ``?password=`` (any case), ``?sslpassword=``, a
password with an unescaped ``@``, in a URL that does not even parse.

The messages of a server that cannot be reached and of one that refuses come from the real
driver: a loopback port nothing listens on, and the server of ``.ci/postgres`` (those tests skip
without it). The window title, the recent projects and the error dialog are in
``tests/packaging/test_credentials_in_the_window.py``; the command line's stderr in
``tests/packaging/test_credentials_on_the_command_line.py``.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from annotator.core.errors import StorageError
from annotator.storage.database import Database
from annotator.storage.engine import (
    has_credentials,
    make_engine,
    mask,
    remembered,
    resolve_url,
    without_password,
)

SECRET = "Sesame-7q"

#: Every way a URL can carry the secret; each one keeps it somewhere else.
FORMS = {
    "userinfo": f"postgresql+psycopg://ana:{SECRET}@{{host}}/corpus",
    "query": f"postgresql+psycopg://ana@{{host}}/corpus?password={SECRET}",
    "query upper case": f"postgresql+psycopg://ana@{{host}}/corpus?PASSWORD={SECRET}",
    "query sslpassword": f"postgresql+psycopg://ana@{{host}}/corpus?sslpassword={SECRET}",
    "query and userinfo": f"postgresql://ana:{SECRET}x@{{host}}/corpus?sslmode=disable&password={SECRET}",
    "query twice": f"postgresql+psycopg://ana@{{host}}/corpus?password={SECRET}&password={SECRET}",
    "plain scheme, query": f"postgresql://ana@{{host}}/corpus?application_name=x&password={SECRET}",
}


def _form(name: str, host: str = "db.example:5433") -> str:
    return FORMS[name].format(host=host)


@pytest.mark.parametrize("form", sorted(FORMS))
def test_masked_remembered_and_the_engine_carry_no_secret(form: str) -> None:
    text = _form(form)
    url = resolve_url(text)
    assert has_credentials(url)
    kept = remembered(url)
    for shown in (mask(text), mask(url), kept, str(without_password(url))):
        assert SECRET not in shown, shown
    assert not has_credentials(resolve_url(kept))
    assert "db.example:5433/corpus" in mask(text) and "***" in mask(text)
    # The engine's URL (its repr, what reconnects and SQLAlchemy's logs see) has no secret
    # outside the password field, which SQLAlchemy always hides.
    engine = make_engine(url)
    try:
        for shown in (repr(engine), str(engine.url), repr(engine.url), mask(engine.url)):
            assert SECRET not in shown, shown
    finally:
        engine.dispose()


def test_what_is_not_secret_stays_readable() -> None:
    text = "postgresql+psycopg://ana@db/corpus?sslmode=require&passfile=/home/ana/.pgpass"
    as_sqlalchemy_writes_it = make_url(text).render_as_string(hide_password=False)
    assert mask(text) == as_sqlalchemy_writes_it
    assert remembered(resolve_url(text)) == as_sqlalchemy_writes_it
    assert "passfile=" in mask(text) and "sslmode=require" in mask(text)
    assert mask("postgresql://ana:pw@db/corpus?application_name=a b") == (
        "postgresql://ana:***@db/corpus?application_name=a+b"
    )


@pytest.mark.parametrize(
    "text",
    [
        f"postgresql://ana:{SECRET}@db:notaport/corpus",  # SQLAlchemy cannot parse it
        f"postgresql://ana@db:notaport/corpus?sslmode=require&sslpassword={SECRET}",
        f"postgresql://ana:p@{SECRET}@db/corpus",  # an @ in the password, not written %40
    ],
)
def test_a_url_that_does_not_parse_is_refused_without_its_secret(text: str) -> None:
    assert SECRET not in mask(text)
    with pytest.raises(StorageError) as info:
        resolve_url(text)
    assert SECRET not in str(info.value)
    assert "db" in str(info.value)  # still says which URL


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def everything_logged(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    caplog.set_level(logging.DEBUG)
    names = ("sqlalchemy.engine", "sqlalchemy.pool", "sqlalchemy.dialects", "alembic", "psycopg")
    for name in names:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield caplog
    finally:
        for name in names:
            logging.getLogger(name).setLevel(logging.NOTSET)


@pytest.mark.parametrize("form", sorted(FORMS))
def test_an_unreachable_server_is_a_message_without_the_secret(
    form: str, everything_logged: pytest.LogCaptureFixture
) -> None:
    pytest.importorskip("psycopg")
    text = _form(form, host=f"127.0.0.1:{_free_port()}")
    with pytest.raises(StorageError) as info:
        Database.open(text)
    message = str(info.value)
    assert "127.0.0.1" in message
    assert SECRET not in message
    assert SECRET not in everything_logged.text
    chained = info.value.__cause__
    assert chained is None or SECRET not in str(chained)


@pytest.fixture
def role_password(pg_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> str:
    """The test role's password, out of libpq's reach: only the URL gives it."""
    value = os.environ.get("PGPASSWORD")
    if not value:
        pytest.skip("these tests need the test role's password in PGPASSWORD (.ci/postgres)")
    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("PGPASSFILE", os.devnull)
    return value


@pytest.mark.parametrize("where", ["userinfo", "query"])
def test_a_password_anywhere_in_the_url_opens_and_is_never_logged(
    where: str, pg_url: str, role_password: str, everything_logged: pytest.LogCaptureFixture
) -> None:
    url = make_url(pg_url)
    if where == "userinfo":
        text = url.set(password=role_password).render_as_string(hide_password=False)
    else:
        text = url.update_query_dict({"password": role_password}).render_as_string(
            hide_password=False
        )
    db = Database.open(text)
    try:
        with db.write() as store:
            store.set_setting("probe", 1)
        with pytest.raises(StorageError) as info, db.write() as store:
            store.insert_documents([{"title": "t", "text": "x", "sha256": "1" * 64}])
            store.insert_documents([{"title": "t", "text": "x", "sha256": "1" * 64}])
        shown = [db.display_url, str(info.value), repr(db.engine), str(db.url), remembered(db.url)]
    finally:
        db.close()
    assert everything_logged.records, "nothing was logged: the check below would prove nothing"
    assert role_password not in everything_logged.text
    for text_shown in shown:
        assert role_password not in text_shown, text_shown


@pytest.mark.parametrize("key", ["password", "PASSWORD", "sslpassword"])
def test_a_wrong_secret_in_the_query_is_refused_without_it(
    key: str, pg_url: str, role_password: str, everything_logged: pytest.LogCaptureFixture
) -> None:
    wrong = f"{SECRET}-wrong"
    text = make_url(pg_url).update_query_dict({key: wrong}).render_as_string(hide_password=False)
    with pytest.raises(StorageError) as info:
        Database.open(text)
    assert wrong not in str(info.value)
    assert mask(text) in str(info.value)
    assert wrong not in everything_logged.text
