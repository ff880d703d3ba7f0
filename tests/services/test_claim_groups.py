"""Claim groups read from a real project: confirmed claims of different articles that state
the same figures about the same entities come together, with their outlet, address and date."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.core.model import Layer, Span
from annotator.services.claim_groups import find_claim_groups
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


def _project(db: Database) -> dict[str, int]:
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
                    "meta": a.meta,
                }
                for a in ARTICLES
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


def test_the_same_claim_in_other_words_is_grouped_and_others_are_not(db: Database) -> None:
    claims = _project(db)
    found = find_claim_groups(db)
    assert found.claims == 4
    assert len(found.groups) == 1
    group = found.groups[0]
    assert set(group.claim_ids) == {claims["Strikes in Idlib"], claims["Air group busy"]}
    (link,) = group.links
    assert "same figure 33 air strikes" in link.match.reasons
    assert "same entity Kartapolov" in link.match.reasons
    # The other figure and the other general are in no group.
    assert found.group_of(claims["Another figure"]) is None
    assert found.group_of(claims["Another general"]) is None


def test_each_claim_carries_its_article_details(db: Database) -> None:
    claims = _project(db)
    found = find_claim_groups(db)
    first = found.entries[claims["Strikes in Idlib"]]
    assert (first.claimant, first.claimant_label, first.cue, first.hedged) == (
        "Kartapolov",
        "PER",
        "said",
        False,
    )
    assert (first.where.outlet, first.where.url, first.where.date) == (
        "Harbour Post",
        "https://harbour.example/1",
        "2026-03-02",
    )
    (other, match) = found.others(claims["Strikes in Idlib"])[0]
    assert other.claim_id == claims["Air group busy"]
    assert other.hedged and other.claimant is None
    assert (other.where.outlet, other.where.url) == ("Northern Ledger", "https://ledger.example/2")
    assert match is not None and match.same
    data = found.to_json()
    assert [c["outlet"] for c in data["groups"][0]["claims"]] == [  # type: ignore[index]
        "Harbour Post",
        "Northern Ledger",
    ]


def test_number_slots_group_claims_whose_text_spells_the_figure_differently(
    db: Database,
) -> None:
    text_a = "One\nKartapolov said thirty-three air strikes were flown overnight.\n"
    text_b = "Two\nKartapolov said 33 air strikes were flown overnight.\n"
    with db.write() as store:
        ids = store.insert_documents(
            [{"title": t[:3], "text": t, "sha256": sha256_hex(t)} for t in (text_a, text_b)]
        )
    spans = []
    for text, slot in ((text_a, True), (text_b, False)):
        document_id = ids[sha256_hex(text)]
        start, end = at(text, text.split("\n")[1].rstrip("."))
        attributes = {"quantities": [{"figure": "33", "unit": "", "counted": "air strikes"}]}
        spans.append(
            Span(
                None,
                document_id,
                Layer.CLAIM,
                start,
                end,
                "CLAIM",
                "ana",
                attributes=attributes if slot else {},
            )
        )
    store_spans(db, spans)
    found = find_claim_groups(db, use_gazetteer=False)
    assert len(found.groups) == 1
    assert "same figure 33 air strikes" in found.groups[0].links[0].match.reasons


def test_one_claim_marked_by_two_annotators_is_taken_once(db: Database) -> None:
    claims = _project(db)
    with db.read() as store:
        first = store.get_span(claims["Strikes in Idlib"])
    (copy,) = store_spans(db, [claim(first.document_id, first.start, first.end, "ben")])
    found = find_claim_groups(db)
    assert found.claims == 4
    assert copy.id is not None
    assert [e.claim_id for e, _m in found.others(copy.id)] == [claims["Air group busy"]]
