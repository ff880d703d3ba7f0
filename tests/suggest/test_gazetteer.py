"""The gazetteer: token boundaries, longest match, case rules, incremental updates, versions."""

from __future__ import annotations

from annotator.core.schema import EntityLabel, LabelSchema, default_schema
from annotator.core.tokens import tokenize
from annotator.suggest.gazetteer import Gazetteer, GazetteerSuggester, Term, fold, usable_term
from tests.suggest.news import ARTICLE, boilerplate, item, spans


def found(gazetteer: Gazetteer, text: str) -> list[tuple[str, str]]:
    suggestions = GazetteerSuggester(gazetteer, default_schema()).suggest(item(text))
    return spans(text, suggestions)


def test_matches_only_whole_tokens() -> None:
    gazetteer = Gazetteer({("Iran", "GPE"): 2, ("Sela", "GPE"): 1})
    text = "Iranian officials left Iran for Selamat, then Sela."
    assert found(gazetteer, text) == [("Iran", "GPE"), ("Sela", "GPE")]


def test_a_match_must_end_on_a_token_end() -> None:
    gazetteer = Gazetteer({("Port Sela", "GPE"): 1})
    assert found(gazetteer, "They sailed to Port Selamat.") == []
    assert found(gazetteer, "They sailed to Port Sela.") == [("Port Sela", "GPE")]


def test_longest_match_first_and_no_overlaps() -> None:
    gazetteer = Gazetteer(
        {("Russian", "NORP"): 5, ("Ministry of Defence", "ORG"): 2},
        [Term("Russian Ministry of Defence", "ORG")],
    )
    text = "The Russian Ministry of Defence and the Ministry of Defence of Russian allies."
    assert found(gazetteer, text) == [
        ("Russian Ministry of Defence", "ORG"),
        ("Ministry of Defence", "ORG"),
        ("Russian", "NORP"),
    ]


def test_most_frequent_label_wins_and_the_count_is_in_the_reason() -> None:
    gazetteer = Gazetteer({("Hmeymim airbase", "FAC"): 12, ("Hmeymim airbase", "LOC"): 3})
    text = "Jets left the Hmeymim airbase at dawn."
    [suggestion] = GazetteerSuggester(gazetteer, default_schema()).suggest(item(text))
    assert suggestion.label == "FAC"
    assert suggestion.reason == "confirmed 12× as FAC in this project (also 3× as LOC)"
    assert suggestion.suggester == "gazetteer"


def test_confirmed_texts_match_in_any_case_but_not_all_lowercase() -> None:
    gazetteer = Gazetteer({("Hmeymim Airbase", "FAC"): 1, ("Turkey", "GPE"): 1})
    text = "At the HMEYMIM AIRBASE and the Hmeymim airbase, turkey was served; Turkey objected."
    assert found(gazetteer, text) == [
        ("HMEYMIM AIRBASE", "FAC"),
        ("Hmeymim airbase", "FAC"),
        ("Turkey", "GPE"),
    ]
    assert found(gazetteer, "the hmeymim airbase") == []
    # Once confirmed in lowercase, lowercase matches too.
    gazetteer.add_confirmed("turkey", "GPE")
    assert ("turkey", "GPE") in found(gazetteer, text)


def test_acronyms_match_only_as_written() -> None:
    gazetteer = Gazetteer({("US", "GPE"): 4, ("RT", "ORG"): 2})
    text = "RT said the US would help us; Rt and rt are not it."
    assert found(gazetteer, text) == [("RT", "ORG"), ("US", "GPE")]


def test_imported_terms_follow_their_case_rule() -> None:
    gazetteer = Gazetteer(
        terms=[
            Term("Kestrel-7", "WEAPON", case_sensitive=False, source="kit.csv"),
            Term("Sparrow", "WEAPON", case_sensitive=True, source="kit.csv"),
        ]
    )
    text = "KESTREL-7 and kestrel-7 fly; the Sparrow flew past a sparrow."
    suggestions = GazetteerSuggester(gazetteer, default_schema()).suggest(item(text))
    assert spans(text, suggestions) == [
        ("KESTREL-7", "WEAPON"),
        ("kestrel-7", "WEAPON"),
        ("Sparrow", "WEAPON"),
    ]
    assert suggestions[0].reason == "in term list kit.csv as WEAPON"


def test_confirmed_evidence_beats_an_imported_list() -> None:
    gazetteer = Gazetteer({("Jordan", "PERSON"): 3}, [Term("Jordan", "GPE", source="places")])
    assert found(gazetteer, "Jordan spoke.") == [("Jordan", "PERSON")]


def test_short_and_common_terms_are_skipped() -> None:
    assert not usable_term("a")
    assert not usable_term("the")
    assert not usable_term("The")
    assert not usable_term("May")
    assert not usable_term("24")
    assert usable_term("US")
    assert usable_term("Sela")
    gazetteer = Gazetteer({("the", "ORG"): 9, ("X", "ORG"): 9, ("2024", "DATE"): 9})
    assert len(gazetteer) == 0
    assert found(gazetteer, "The X of 2024.") == []


def test_incremental_updates_reach_the_next_document_and_change_the_version() -> None:
    gazetteer = Gazetteer()
    suggester = GazetteerSuggester(gazetteer, default_schema())
    empty_version = suggester.version
    text = "Repairs began at the Hmeymim airbase."
    assert suggester.suggest(item(text)) == []
    gazetteer.add_confirmed("Hmeymim airbase", "FAC")
    first = suggester.version
    assert first != empty_version
    assert spans(text, suggester.suggest(item(text))) == [("Hmeymim airbase", "FAC")]
    gazetteer.add_confirmed("Hmeymim  airbase", "FAC")  # whitespace is normalised
    assert gazetteer.confirmed_count("Hmeymim airbase", "FAC") == 2
    assert suggester.version not in (empty_version, first)
    gazetteer.remove_confirmed("Hmeymim airbase", "FAC")
    assert suggester.version == first  # the version is the content, not a counter
    gazetteer.remove_confirmed("Hmeymim airbase", "FAC")
    assert suggester.version == empty_version
    assert suggester.suggest(item(text)) == []


def test_versions_agree_between_gazetteers_with_the_same_content() -> None:
    a = Gazetteer({("Sela", "GPE"): 2}, [Term("Kestrel-7", "WEAPON")])
    b = Gazetteer()
    b.add_terms([Term("Kestrel-7", "WEAPON")])
    b.add_confirmed("Sela", "GPE")
    b.add_confirmed("Sela", "GPE")
    assert a.digest == b.digest
    b.clear_terms()
    assert a.digest != b.digest


def test_many_additions_rebuild_the_automaton_and_keep_matching() -> None:
    gazetteer = Gazetteer()
    text = "Place 700 and Place 1 and Place 1300 were named."
    tokens = tokenize(text)
    assert gazetteer.find(text, tokens) == []
    seen: dict[int, list[str]] = {}
    for n in range(1500):
        gazetteer.add_confirmed(f"Place {n}", "GPE")
        if n in (1, 700):  # matching between additions uses the small second automaton
            seen[n] = [text[c.start : c.end] for c in gazetteer.find(text, tokens)]
    assert seen == {1: ["Place 1"], 700: ["Place 700", "Place 1"]}
    matched = [text[c.start : c.end] for c in gazetteer.find(text, tokens)]
    assert matched == ["Place 700", "Place 1", "Place 1300"]
    gazetteer.remove_confirmed("Place 700", "GPE")
    assert [text[c.start : c.end] for c in gazetteer.find(text, tokens)] == [
        "Place 1",
        "Place 1300",
    ]


def test_labels_outside_the_schema_are_left_out() -> None:
    schema = LabelSchema("places", 1, (EntityLabel("GPE", "#00aa00"),))
    gazetteer = Gazetteer({("Sela", "GPE"): 1, ("Kestrel-7", "WEAPON"): 4})
    text = "Kestrel-7 drones over Sela."
    suggestions = GazetteerSuggester(gazetteer, schema).suggest(item(text, schema=schema))
    assert spans(text, suggestions) == [("Sela", "GPE")]
    assert (
        GazetteerSuggester(gazetteer, schema).version
        != GazetteerSuggester(gazetteer, default_schema()).version
    )


def test_nothing_inside_boilerplate() -> None:
    gazetteer = Gazetteer({("difference", "EVENT"): 3, ("Valmoran Ministry of Defence", "ORG"): 1})
    ranges = boilerplate(ARTICLE)
    suggestions = GazetteerSuggester(gazetteer, default_schema()).suggest(
        item(ARTICLE, ignored=ranges)
    )
    assert spans(ARTICLE, suggestions) == [("Valmoran Ministry of Defence", "ORG")]


def test_fold_keeps_offsets_for_characters_that_grow() -> None:
    text = "Straße İzmir ǅ"
    folded = fold(text)
    assert len(folded) == len(text)
    gazetteer = Gazetteer({("STRASSE", "LOC"): 1, ("İzmir", "GPE"): 1})
    assert [text[c.start : c.end] for c in gazetteer.find(text, tokenize(text))] == ["İzmir"]
