"""Four articles for the claim-group tests: two report the same claim in other words (one
names Kartapolov only in the claim's text), one gives another figure, one another general."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.storage.database import Database
from tests.builders import at, claim, entity, sha256_hex, store_spans

ONE = (
    "Strikes in Idlib\n"
    "General Kartapolov said Russian aircraft carried out 33 air strikes in 24 hours.\n"
)
TWO = (
    "Air group busy\n"
    "Over the past day Kartapolov's air group struck militant targets 33 times in 24 hours, "
    "the ministry said.\n"
)
THREE = "Another figure\nKartapolov said Russian aircraft carried out 35 air strikes in 24 hours.\n"
FOUR = (
    "Another general\n"
    "General Shoigu said Russian aircraft carried out 33 air strikes in 24 hours.\n"
)


@dataclass(frozen=True)
class Article:
    text: str
    claim: str
    claimant: str | None
    source: str
    meta: dict[str, object]


ARTICLES = (
    Article(
        ONE,
        "Russian aircraft carried out 33 air strikes in 24 hours",
        "Kartapolov",
        "Harbour Post",
        {"url": "https://harbour.example/1", "published": "2026-03-02"},
    ),
    # Kartapolov is not marked here: the gazetteer knows him from the other articles.
    Article(
        TWO,
        "Kartapolov's air group struck militant targets 33 times in 24 hours",
        None,
        "Northern Ledger",
        {"link": "https://ledger.example/2", "date": "2026-03-03"},
    ),
    Article(
        THREE,
        "Russian aircraft carried out 35 air strikes in 24 hours",
        "Kartapolov",
        "Daily",
        {},
    ),
    Article(
        FOUR,
        "Russian aircraft carried out 33 air strikes in 24 hours",
        "Shoigu",
        "Daily",
        {},
    ),
)


def claims_project(db: Database) -> dict[str, int]:
    """The four articles, each with its claim (and claimant); the claim id by its text's
    document title."""
    with db.write() as store:
        ids = store.insert_documents(
            [
                {
                    "title": a.text.split("\n")[0],
                    "text": a.text,
                    "sha256": sha256_hex(a.text),
                    "source": a.source,
                    "external_id": f"article-{number}",
                    "meta": a.meta,
                }
                for number, a in enumerate(ARTICLES, 1)
            ]
        )
    claims: dict[str, int] = {}
    for article in ARTICLES:
        document_id = ids[sha256_hex(article.text)]
        claimant_id = None
        if article.claimant is not None:
            (person,) = store_spans(
                db, [entity(document_id, *at(article.text, article.claimant), "PER")]
            )
            claimant_id = person.id
        (stored,) = store_spans(
            db,
            [
                claim(
                    document_id,
                    *at(article.text, article.claim),
                    claimant_id=claimant_id,
                    cue=at(article.text, "said") if "said" in article.text else None,
                    hedged=article is ARTICLES[1],
                )
            ],
        )
        assert stored.id is not None
        claims[article.text.split("\n")[0]] = stored.id
    return claims
