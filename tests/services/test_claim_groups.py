"""Claim groups read from a real project: confirmed claims of different articles that state
the same figures about the same entities come together, with their outlet, address and date."""

from __future__ import annotations

from annotator.core.model import Layer, Span
from annotator.services.claim_groups import find_claim_groups
from annotator.storage.database import Database
from tests.builders import at, claim, sha256_hex, store_spans
from tests.services.claims_corpus import claims_project


def test_the_same_claim_in_other_words_is_grouped_and_others_are_not(db: Database) -> None:
    claims = claims_project(db)
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
    claims = claims_project(db)
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
    claims = claims_project(db)
    with db.read() as store:
        first = store.get_span(claims["Strikes in Idlib"])
    (copy,) = store_spans(db, [claim(first.document_id, first.start, first.end, "ben")])
    found = find_claim_groups(db)
    assert found.claims == 4
    assert copy.id is not None
    assert [e.claim_id for e, _m in found.others(copy.id)] == [claims["Air group busy"]]
