"""``annotator claims``: the groups of the same claim, as text and as JSON."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotator.cli import EXIT_OK, main
from annotator.storage.database import Database
from tests.services.claims_corpus import claims_project


@pytest.fixture
def project(db_path: Path) -> str:
    db = Database.open(db_path)
    try:
        claims_project(db)
    finally:
        db.close()
    return str(db_path)


def test_json_lists_each_claim_of_a_group_with_its_article(
    project: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["claims", "--db", project, "--json", "--quiet"]) == EXIT_OK
    printed = orjson.loads(capsys.readouterr().out)
    assert printed["claims"] == 4
    (group,) = printed["groups"]
    assert group["documents"] == 2
    first, second = group["claims"]
    assert first["text"] == "Russian aircraft carried out 33 air strikes in 24 hours"
    assert (first["claimant"], first["cue"], first["hedged"]) == ("Kartapolov", "said", False)
    assert (first["outlet"], first["url"], first["date"]) == (
        "Harbour Post",
        "https://harbour.example/1",
        "2026-03-02",
    )
    assert (second["outlet"], second["hedged"], second["claimant"]) == (
        "Northern Ledger",
        True,
        None,
    )
    (link,) = group["links"]
    assert "same figure 33 air strikes" in link["reasons"]
    assert "same entity Kartapolov" in link["reasons"]


def test_text_shows_the_articles_and_why(project: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["claims", "--db", project, "--quiet"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Group 1: 2 articles" in out
    assert "(Harbour Post, 2026-03-02)" in out
    assert "https://ledger.example/2" in out
    assert "claimant: Kartapolov (PER); cue: 'said'" in out
    assert "why [1]~[2]: same figure 33 air strikes; same figure 24 hours; same entity" in out
    # The claims with another figure or another general are not listed.
    assert "35 air strikes" not in out and "Shoigu" not in out


def test_a_project_without_repeated_claims_says_so(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Database.open(db_path).close()
    assert main(["claims", "--db", str(db_path)]) == EXIT_OK
    assert "No claim is reported in more than one article (0 claims compared)." in (
        capsys.readouterr().out
    )
