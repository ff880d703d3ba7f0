"""Figures read from claims, and the score that says two claims state the same thing."""

from __future__ import annotations

import pytest

from annotator.core.article_meta import appearance
from annotator.core.claim_figures import Figure, claim_figures, figures_in
from annotator.core.claim_groups import (
    MAX_BUCKET,
    ClaimRecord,
    candidate_pairs,
    compare,
    entity_key,
    group_claims,
    record,
)
from annotator.core.model import Document


def claim(
    claim_id: int, document_id: int, text: str, *entities: str, **attrs: object
) -> ClaimRecord:
    return record(claim_id, document_id, text, claim_figures(text, attrs), entities)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "carried out 33 air strikes in 24 hours",
            [("33", "", "air strikes"), ("24", "hours", "")],
        ),
        ("about 1.5 million people fled", [("1500000", "", "people fled")]),
        ("1,500,000 people fled", [("1500000", "", "people fled")]),
        ("prices rose 12 per cent", [("12", "%", "")]),
        ("prices rose 12%", [("12", "%", "")]),
        ("a $4bn deal", [("4000000000", "$", "deal")]),
        ("two soldiers died", [("2", "", "soldiers died")]),
        ("a column 40 kilometres long", [("40", "km", "long")]),
    ],
)
def test_figures_in_text(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(f.value, f.unit, f.counted) for f in figures_in(text)] == expected


def test_number_slots_come_first_and_say_what_is_counted() -> None:
    slots = {"quantities": [{"figure": "33", "unit": "", "counted": "air strikes"}]}
    figures = claim_figures("the air group struck 33 times", slots)
    assert figures == (Figure("33", "", "air strikes"),)
    # A slot of another shape is passed over, the text still counts.
    assert claim_figures("33 strikes", {"quantities": [{"figure": 33}, "x"]}) == (
        Figure("33", "", "strikes"),
    )
    assert claim_figures("1.5 million fled", {"quantities": "not a list"})[0].value == "1500000"


def test_different_words_same_figures_and_entities_are_the_same_claim() -> None:
    first = claim(1, 10, "Russian aircraft carried out 33 air strikes in 24 hours", "Kartapolov")
    second = claim(
        2,
        20,
        "Over the past day the air group hit militant targets 33 times",
        "Kartapolov",
        quantities=[{"figure": "33", "unit": "", "counted": "air strikes"}],
    )
    match = compare(first, second)
    assert match.same, match
    assert "same figure 33 air strikes" in match.reasons
    assert "same entity Kartapolov" in match.reasons
    assert any(reason.startswith("wording ") for reason in match.reasons)


def test_different_figures_are_not_the_same_claim() -> None:
    first = claim(1, 10, "Russian aircraft carried out 33 air strikes on militants", "Kartapolov")
    second = claim(2, 20, "Russian aircraft carried out 35 air strikes on militants", "Kartapolov")
    match = compare(first, second)
    assert not match.same
    assert "different figures 33 air strikes / 35 air strikes" in match.reasons


def test_different_entities_are_not_the_same_claim() -> None:
    first = claim(1, 10, "Russian aircraft carried out 33 air strikes on militants", "Kartapolov")
    second = claim(2, 20, "Russian aircraft carried out 33 air strikes on militants", "Shoigu")
    match = compare(first, second)
    assert not match.same
    assert "different entities Kartapolov, Shoigu" in match.reasons


def test_a_near_verbatim_copy_is_the_same_claim_without_figures_or_entities() -> None:
    text = "The harbour will reopen to ferries before the winter storms arrive"
    match = compare(claim(1, 10, text), claim(2, 20, text + " again"))
    assert match.same and match.score < 0.55


def test_unrelated_claims_without_figures_are_not_grouped() -> None:
    first = claim(1, 10, "The mayor promised new buses for the northern districts", "Ortega")
    second = claim(2, 20, "The port will close for repairs this spring", "Ortega")
    assert not compare(first, second).same


def test_entity_identity_folds_case_but_not_acronyms() -> None:
    assert entity_key("Hmeymim  airbase") == entity_key("Hmeymim Airbase")
    assert entity_key("US") != entity_key("us")


def test_groups_join_across_documents_only_and_keep_their_reasons() -> None:
    claims = [
        claim(1, 10, "Jets carried out 33 air strikes in Idlib", "Kartapolov", "Idlib"),
        claim(2, 20, "Kartapolov said 33 air strikes hit Idlib", "Kartapolov", "Idlib"),
        claim(3, 30, "Aircraft struck Idlib 33 times", "Idlib", "Kartapolov"),
        claim(4, 10, "Jets carried out 33 air strikes in Idlib again", "Kartapolov", "Idlib"),
        claim(5, 40, "Ferries will run 12 times a day", "Valmora"),
    ]
    groups = group_claims(claims)
    assert len(groups) == 1
    group = groups[0]
    assert set(group.claim_ids) == {1, 2, 3, 4}
    assert group.document_ids == (10, 20, 30)
    # Claims 1 and 4 are in one document: never compared with each other.
    assert all({link.first, link.second} != {1, 4} for link in group.links)
    assert group.reasons_for(2)


def test_a_bucket_that_holds_too_many_claims_is_passed_over() -> None:
    # Every claim states "2 boats", each about someone else: the figure's bucket is too
    # full to compare by, and no pair is tried through it.
    claims = [
        claim(i, i, f"Story {_letters(i)} about 2 boats", f"Captain {_letters(i)}")
        for i in range(MAX_BUCKET + 1)
    ]
    assert candidate_pairs(claims) == []
    assert len(candidate_pairs(claims[:3])) == 3  # a small bucket is compared
    # Two of them about the same captain still meet: "2" with "Kartapolov" is a bucket too.
    claims += [
        claim(901, 901, "Kartapolov said 2 boats sank", "Kartapolov"),
        claim(902, 902, "Two boats went down, Kartapolov told reporters", "Kartapolov"),
    ]
    assert candidate_pairs(claims) == [(len(claims) - 2, len(claims) - 1)]
    assert len(group_claims(claims)) == 1


def test_claims_sharing_only_an_entity_meet_when_worded_alike() -> None:
    text = "Kartapolov promised that the northern bridge would reopen before the winter"
    claims = [
        claim(1, 10, text, "Kartapolov"),
        claim(2, 20, text.replace("promised", "pledged"), "Kartapolov"),
        claim(3, 30, "Kartapolov visited the troops near the river", "Kartapolov"),
    ]
    assert candidate_pairs(claims) == [(0, 1)]
    (group,) = group_claims(claims)
    assert group.claim_ids == (1, 2)


def _letters(number: int) -> str:
    """A word of its own for each number: 0 -> "aa", 27 -> "bb"."""
    return "".join("abcdefghijklmnopqrstuvwxyz"[int(d)] for d in f"{number:03d}") + "q"


def test_appearance_reads_outlet_url_and_date_from_what_import_kept() -> None:
    document = Document(
        1,
        "a1",
        "T",
        "x",
        source="Harbour Post",
        meta={"url": "https://harbour.example/a1", "published": "2026-03-02"},
    )
    where = appearance(document)
    assert (where.outlet, where.url, where.date) == (
        "Harbour Post",
        "https://harbour.example/a1",
        "2026-03-02",
    )
    bare = appearance(Document(2, None, "T", "x", source="https://x.example/2", meta={"url": 5}))
    assert (bare.outlet, bare.url, bare.date) == (None, "https://x.example/2", None)


def test_two_claims_that_rule_each_other_out_never_share_a_group() -> None:
    thirty_three = claim(1, 10, "Jets carried out 33 air strikes in 24 hours", "Kartapolov")
    thirty_five = claim(2, 20, "Jets carried out 35 air strikes in 24 hours", "Kartapolov")
    vague = claim(3, 30, "Jets carried out air strikes for 24 hours", "Kartapolov")
    assert compare(thirty_three, vague).same and compare(thirty_five, vague).same
    assert compare(thirty_three, thirty_five).ruled_out
    groups = group_claims([thirty_three, thirty_five, vague])
    assert len(groups) == 1
    assert 3 in groups[0].claim_ids and len(groups[0].claim_ids) == 2


def test_the_same_number_counting_different_things_is_not_the_same_figure() -> None:
    soldiers = claim(1, 10, "Kartapolov said 5 soldiers were killed near Idlib", "Kartapolov")
    drones = claim(2, 20, "Kartapolov said 5 drones were shot down near Idlib", "Kartapolov")
    match = compare(soldiers, drones)
    assert not match.same and match.ruled_out
    assert "different figures 5 soldiers / 5 drones" in match.reasons
    # What one side does not name does not count against it.
    bare = claim(3, 30, "Kartapolov put the number killed near Idlib at 5", "Kartapolov")
    assert "same figure 5 soldiers" in compare(soldiers, bare).reasons


@pytest.mark.parametrize("text", ["the G7 summit", "F-16 jets", "an A320 landed", "its 5th day"])
def test_numbers_inside_names_and_ordinals_are_no_figures(text: str) -> None:
    assert figures_in(text) == []
