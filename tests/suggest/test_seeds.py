"""The seed lists: what ships, what is suggested from them on a text nobody has confirmed
anything in, and what is not (common words, lowercase words, parts of longer names)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.model import Layer, Span, Suggestion
from annotator.core.resources import resource
from annotator.core.schema import default_schema, template_schema
from annotator.suggest.errors import SuggesterUnavailable
from annotator.suggest.gazetteer import Gazetteer
from annotator.suggest.seed_lists import LIST_FILES, SeedData, parse_stoplist, shipped
from annotator.suggest.seeds import (
    DEFAULT_MIN_POPULATION,
    NAME,
    RejectedTerms,
    SeedSuggester,
    hide_nested,
    is_title_case,
)
from tests.suggest.news import item, spans

SEEDS = Path(str(resource("seeds")))
LABELS = {"GPE", "LOC", "NORP", "ORG"}

SCRAPED = (
    "Russian jets strike near Latakia as Moscow sends more aircraft to Syria\n"
    "The Kremlin says the deployment is temporary\n"
    "Russia has moved bombers to western Syria, and officials in Damascus welcomed them. "
    "Egypt urged restraint, and Syrian state media reported strikes near Idlib.\n"
)


def suggest(text: str, **options: object) -> list[tuple[str, str]]:
    suggester = SeedSuggester(default_schema(), **options)  # type: ignore[arg-type]
    return spans(text, suggester.suggest(item(text)))


def test_every_shipped_row_parses_with_a_seed_label() -> None:
    data = shipped()
    assert len(data) > 20_000
    for name in LIST_FILES:
        text = (SEEDS / name).read_text(encoding="utf-8")
        rows = [line for line in text.split("\n") if line and not line.startswith("#")]
        assert rows, name
        for number, line in enumerate(rows, start=1):
            cells = line.split("\t")
            assert len(cells) >= 3 and cells[1] in LABELS, f"{name}: {line!r}"
            assert cells[0] == cells[0].strip() and cells[0], f"{name} row {number}"


def test_the_city_list_is_largest_first_so_a_threshold_is_a_cut() -> None:
    rows = [
        line.split("\t")
        for line in (SEEDS / "cities.tsv").read_text(encoding="utf-8").split("\n")
        if line and not line.startswith("#")
    ]
    populations = [int(cells[4]) for cells in rows]
    assert populations == sorted(populations, reverse=True)
    big = shipped().automaton(DEFAULT_MIN_POPULATION)
    small = shipped().automaton(15_000)
    assert len(small) > len(big) > 5_000


def test_the_place_names_the_issue_found_missing_are_suggested() -> None:
    found = suggest(SCRAPED)
    assert found == [
        ("Russian", "NORP"),
        ("Latakia", "GPE"),
        ("Moscow", "GPE"),
        ("Syria", "GPE"),
        ("Kremlin", "ORG"),
        ("Russia", "GPE"),
        ("Syria", "GPE"),
        ("Damascus", "GPE"),
        ("Egypt", "GPE"),
        ("Syrian", "NORP"),
        ("Idlib", "GPE"),
    ]


def test_the_reason_names_the_list() -> None:
    suggester = SeedSuggester(default_schema())
    text = "Officials in Syria and at NATO met in Damascus."
    reasons = {text[s.start : s.end]: s.reason for s in suggester.suggest(item(text))}
    assert reasons["Syria"].startswith("country list: Syria")
    assert reasons["NATO"] == "organisation list: NATO (North Atlantic Treaty Organization)"
    assert reasons["Damascus"].startswith("city list: Damascus (Syria, ")
    assert all(s.suggester == NAME for s in suggester.suggest(item(text)))


def test_common_words_are_never_suggested() -> None:
    text = (
        "Nice weather brought crowds to Reading and Mobile, and a Split decision in Of "
        "surprised everyone. Later they flew to Nice and on to Split."
    )
    assert suggest(text) == []


def test_case_rules() -> None:
    # A country in lowercase is a word; in capitals it is the country; acronyms as written.
    assert suggest("We ate turkey in china bowls with us.") == []
    assert suggest("TURKEY AND SYRIA SIGN A DEAL") == [("TURKEY", "GPE"), ("SYRIA", "GPE")]
    assert suggest("Officials in the US said so. Ask Us.") == [("US", "GPE")]
    # A Title Case headline matches the listed term in Title Case.
    assert suggest("Floods Hit Bosnia And Herzegovina Towns Overnight\nMore rain.") == [
        ("Bosnia And Herzegovina", "GPE")
    ]


def test_parts_of_longer_names_are_not_suggested() -> None:
    text = (
        "The Washington Post said fighters of the Free Syrian Army met Paris Hilton. "
        "The University of Texas and the Bank of England agreed. Mr Jackson left. "
        "The Red Cross of Finland helped."
    )
    assert suggest(text) == []
    # A title after a demonym, a compass word before a place, a title or a sentence's first
    # word before "of" are fine.
    assert suggest(
        "Syrian President Bashar al-Assad visited Northern Syria. The Mayor of London came. "
        "Hundreds of French nationals left."
    ) == [("Syrian", "NORP"), ("Syria", "GPE"), ("London", "GPE"), ("French", "NORP")]
    # In a Title Case headline every word is capitalised: that says nothing about names.
    assert suggest("Russian Jets Strike Rebel Positions Near Latakia\nBody.") == [
        ("Russian", "NORP"),
        ("Latakia", "GPE"),
    ]


def test_longest_match_and_the_guidelines_type_nouns() -> None:
    text = (
        "Floods in Sindh province reached the Indus river; South Sudan and the Russian Federation."
    )
    assert suggest(text) == [
        ("Sindh province", "GPE"),
        ("Indus river", "LOC"),
        ("South Sudan", "GPE"),
        ("Russian Federation", "GPE"),
    ]


def test_the_population_threshold() -> None:
    data = SeedData(
        [
            (
                "seeds/cities.tsv",
                "# largest first\nBigtown\tGPE\tcity\tX\t500000\nSmallham\tGPE\tcity\tX\t20000\n",
            )
        ]
    )
    text = "Bigtown and Smallham signed a pact."
    assert suggest(text, data=data) == [("Bigtown", "GPE")]
    assert suggest(text, data=data, min_population=10_000) == [
        ("Bigtown", "GPE"),
        ("Smallham", "GPE"),
    ]


def test_a_broken_row_names_its_file_and_line() -> None:
    with pytest.raises(SuggesterUnavailable, match=r"seeds/places.tsv, line 2"):
        SeedData([("seeds/places.tsv", "# header\nno tabs here\n")])
    data = SeedData([("seeds/cities.tsv", "Bigtown\tGPE\tcity\tX\tmany\n")])
    with pytest.raises(SuggesterUnavailable, match=r"line 1: population 'many'"):
        suggest("Bigtown grew.", data=data, min_population=0)


def test_the_stoplist_is_read_without_comments() -> None:
    assert parse_stoplist("# note\nNice\n\n Reading \n") == {"Nice", "Reading"}


def test_a_schema_without_gpe_or_norp_gets_loc_and_misc() -> None:
    schema = template_schema("conll2003")
    suggester = SeedSuggester(schema)
    text = "Syrian officials met in Damascus with the UN."
    assert spans(text, suggester.suggest(item(text, schema=schema))) == [
        ("Syrian", "MISC"),
        ("Damascus", "LOC"),
        ("UN", "ORG"),
    ]
    empty = template_schema("empty")
    assert SeedSuggester(empty).suggest(item(text, schema=empty)) == []


def test_the_projects_own_work_overrides_the_seeds() -> None:
    gazetteer = Gazetteer({("Georgia", "PERSON"): 2})
    rejected = RejectedTerms([("Paris", "GPE")])
    suggester = SeedSuggester(default_schema(), gazetteer=gazetteer, rejected=rejected)
    text = "Georgia met Ana in Paris and in Rome."
    # Relabelled Georgia is left to the gazetteer; rejected Paris is not proposed again.
    assert spans(text, suggester.suggest(item(text))) == [("Rome", "GPE")]
    before = suggester.version
    rejected.reset([])
    assert suggester.version != before
    assert spans(text, suggester.suggest(item(text))) == [("Paris", "GPE"), ("Rome", "GPE")]
    gazetteer.remove_confirmed("Georgia", "PERSON", 2)
    assert ("Georgia", "GPE") in spans(text, suggester.suggest(item(text)))


def test_nothing_is_suggested_inside_boilerplate() -> None:
    text = "Support us from Paris\nSyria said so."
    found = SeedSuggester(default_schema()).suggest(item(text, ignored=[(0, 21)]))
    assert spans(text, found) == [("Syria", "GPE")]


def _suggestion(start: int, end: int, label: str, suggester: str) -> Suggestion:
    return Suggestion(None, 1, Layer.ENTITY, start, end, label, suggester, 0.5, "")


def test_seed_matches_inside_a_longer_entity_are_hidden() -> None:
    # "Russian Ministry of Defence said": Russian 0..7, the ministry 0..27.
    seed = _suggestion(0, 7, "NORP", NAME)
    rules = _suggestion(0, 27, "ORG", "rules")
    same_span = _suggestion(0, 7, "NORP", "rules")
    claim = Suggestion(None, 1, Layer.CLAIM, 0, 40, "CLAIM", "claims", 0.5, "")
    assert hide_nested([seed, rules, claim]) == [rules, claim]
    assert hide_nested([seed, same_span]) == [seed, same_span]
    # A longer confirmed span hides it too; a confirmed claim does not.
    confirmed = Span(1, 1, Layer.ENTITY, 0, 27, "ORG", "ana")
    assert hide_nested([seed], [confirmed]) == []
    claim_span = Span(2, 1, Layer.CLAIM, 0, 40, "CLAIM", "ana")
    assert hide_nested([seed], [claim_span]) == [seed]
    # Another suggester's short span inside a long one stays: the rule is the seeds'.
    inner_rules = _suggestion(0, 7, "NORP", "rules")
    assert hide_nested([inner_rules, rules]) == [inner_rules, rules]


def test_title_case_lines() -> None:
    assert is_title_case("Russian Jets Strike Rebel Positions Near Latakia")
    assert not is_title_case("Russian jets strike rebel positions near Latakia")
    assert not is_title_case("Syria Today")  # too short to tell


def test_the_lists_are_read_on_first_use_not_on_import() -> None:
    suggester = SeedSuggester(default_schema(), data=SeedData([]))
    assert suggester._matcher is None
    assert suggester.suggest(item("Syria.")) == []
    assert suggester._matcher is not None


@given(
    st.lists(
        st.tuples(
            st.integers(0, 30), st.integers(1, 8), st.sampled_from([NAME, "rules", "gazetteer"])
        ),
        max_size=25,
    ),
    st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12)), max_size=5),
)
def test_hide_nested_is_the_plain_definition(
    found: list[tuple[int, int, str]], confirmed: list[tuple[int, int]]
) -> None:
    suggestions = [_suggestion(a, a + n, "GPE", who) for a, n, who in found]
    spans_ = [
        Span(i, 1, Layer.ENTITY, a, a + n, "ORG", "ana") for i, (a, n) in enumerate(confirmed)
    ]
    longer = [(s.start, s.end) for s in spans_] + [
        (s.start, s.end) for s in suggestions if s.suggester != NAME
    ]
    expected = [
        s
        for s in suggestions
        if s.suggester != NAME
        or not any(a <= s.start and s.end <= b and b - a > s.end - s.start for a, b in longer)
    ]
    assert hide_nested(suggestions, spans_) == expected
