"""The rule suggester: each rule with sentences it must and must not fire on."""

from __future__ import annotations

import pytest

from annotator.core.schema import EntityLabel, LabelSchema, default_schema
from annotator.suggest.rules import RulesSuggester
from tests.suggest.news import ARTICLE, boilerplate, item, spans


def found(text: str, label: str | None = None) -> list[str]:
    suggestions = RulesSuggester(default_schema()).suggest(item(text))
    return [covered for covered, lab in spans(text, suggestions) if label in (None, lab)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Pilots flew 127 sorties overnight.", ["127 sorties"]),
        ("Officials said 33 air strikes hit the area.", ["33 air strikes"]),
        ("They hit 206 terrorist targets.", ["206 terrorist targets"]),
        ("Jets destroyed 49 Isis targets.", ["49 Isis targets"]),
        ("Clerks counted 1,300 postal ballots by hand.", ["1,300 postal ballots"]),
        ("Two hundred soldiers crossed the river.", ["Two hundred soldiers"]),
        ("The fund holds 2.3 million people's savings.", ["2.3 million people"]),
        ("About 2,300 passengers were stranded.", ["2,300 passengers"]),
        ("Prices rose 4.5% in a year.", ["4.5%"]),
        ("Inflation hit 3 per cent.", ["3 per cent"]),
        ("The grant was €2.3 million and the loan $4 million.", ["€2.3 million", "$4 million"]),
        ("A fine of 500 euros was paid.", ["500 euros"]),
        ("Debts reached £300bn last year.", ["£300bn"]),
        ("The convoy covered 40 km a day.", ["40 km"]),
        ("Some 20 people were hurt.", ["20 people"]),
    ],
)
def test_quantities(sentence: str, expected: list[str]) -> None:
    assert found(sentence, "QUANTITY") == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The whole unit and the whole counted noun, and "a" as the number's "one".
        ("The train reached 210 km/h on the test run.", ["210 km/h"]),
        ("Gusts of 30 m/s were measured.", ["30 m/s"]),
        ("Some 40 police officers stood by.", ["40 police officers"]),
        ("A dozen trawlers stayed in port.", ["A dozen trawlers"]),
        ("They sent a hundred volunteers.", ["a hundred volunteers"]),
    ],
)
def test_quantities_whole_unit_and_noun(sentence: str, expected: list[str]) -> None:
    assert found(sentence, "QUANTITY") == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The strike lasted 14 hours.",  # a period: DATE, not QUANTITY
        "In 2024 the port reopened.",  # a year
        "The 2024 elections were close.",  # a year before a noun
        "He scored 3 in the final.",  # a number counting nothing
        "Flight 209 landed safely.",
        "A Tu-22M3 was seen.",  # digits inside a designator
        "The Mk41 is old.",
        "Only one ship left.",
    ],
)
def test_not_quantities(sentence: str) -> None:
    assert found(sentence, "QUANTITY") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Repairs will finish within 24 hours.", ["24 hours"]),
        ("The talks resume on Tuesday.", ["Tuesday"]),
        ("They met last Thursday.", ["last Thursday"]),
        ("The minister recently resigned.", ["recently"]),
        ("Results are due in 3 days.", ["3 days"]),
        ("The vote was held on 12 March 2024.", ["12 March 2024"]),
        ("The vote was held on March 12, 2024.", ["March 12, 2024"]),
        ("Talks are expected early next week.", ["early next week"]),
        ("Sales fell over the past week.", ["past week"]),
        ("The ferry left two days ago.", ["two days ago"]),
        ("Power returned at 3pm.", ["3pm"]),
        ("Residents left by noon.", ["noon"]),
        ("The deal was signed in June.", ["June"]),
        ("Prices have doubled since 2019.", ["2019"]),
        ("The report is dated 2024-03-12.", ["2024-03-12"]),
        ("Engineers worked overnight.", ["overnight"]),
        ("Snow fell yesterday and again this morning.", ["yesterday", "this morning"]),
        ("It rained in mid-March.", ["mid-March"]),
    ],
)
def test_dates(sentence: str, expected: list[str]) -> None:
    assert found(sentence, "DATE") == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The guidelines leave the preposition and a leading "the" out of a date.
        ("The bridge was rebuilt in a month.", ["a month"]),
        ("Fares have tripled over eight years.", ["eight years"]),
        ("Output fell within a fortnight.", ["a fortnight"]),
        ("Nine ferries sank in the past decade.", ["past decade"]),
        ("Rain fell during the previous 36 hours.", ["previous 36 hours"]),
        ("Nothing changed for the last three months.", ["last three months"]),
        ("Wages fell in the following year.", ["following year"]),
        ("The mill closed in the 1980s.", ["1980s"]),
        ("The pier will reopen by the end of October.", ["end of October"]),
        ("Stocks run out before the end of the month.", ["end of the month"]),
        ("The ferry resumes by the summer.", ["summer"]),
        ("Repairs start in spring.", ["spring"]),
        ("Exports rose in March.", ["March"]),
        ("Sales were higher than in May.", ["May"]),
        ("Rents rose 3% compared with November.", ["November"]),
    ],
)
def test_dates_leave_prepositions_out(sentence: str, expected: list[str]) -> None:
    assert found(sentence, "DATE") == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "You may leave now.",  # "May" as a verb
        "Protesters march on the capital.",
        "June Halloran chaired the meeting.",  # a name, not a month
        "A 24-hour strike began.",
        "Once a day the ferry leaves.",
        "He spoke with May Halloran.",  # a name, not a month
        "Nothing in May's speech was new.",
        "Summer Reyes chaired it.",
        "The end of the road is near.",
    ],
)
def test_not_dates(sentence: str) -> None:
    assert found(sentence, "DATE") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Colonel General Andrei Voskov announced it.", ["Colonel General Andrei Voskov"]),
        ("Mr Dravin declined to comment.", ["Mr Dravin"]),
        ("French President Lucien Marchetti arrived.", ["Lucien Marchetti"]),
        ("Dr Zoë Ferrante led the study.", ["Dr Zoë Ferrante"]),
        ("Vice Admiral Lena Okafor took command.", ["Vice Admiral Lena Okafor"]),
        ("Union secretary Marta Ilves spoke first.", ["Marta Ilves"]),
        ("Chief executive Jonas Berg resigned.", ["Jonas Berg"]),
        ("Mayor Petra Novak's office said so.", ["Petra Novak"]),
        ("Prof. Amal van der Berg wrote it.", ["Prof. Amal van der Berg"]),
    ],
)
def test_people(sentence: str, expected: list[str]) -> None:
    assert found(sentence, "PERSON") == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Job titles stay out of the name; honorifics and ranks stay in.
        ("Health Minister Arvid Lenko resigned.", ["Arvid Lenko"]),
        ("Deputy Mayor Ines Halloway objected.", ["Ines Halloway"]),
        ("Governor Tomas Reyl vetoed it.", ["Tomas Reyl"]),
        ("Secretary General Odile Marsh spoke.", ["Odile Marsh"]),
        ("Lieutenant General Piet Arends inspected the unit.", ["Lieutenant General Piet Arends"]),
        ("Commander Yusuf Brandt led the patrol.", ["Commander Yusuf Brandt"]),
        ("Sergeant Mila Orth was hurt.", ["Sergeant Mila Orth"]),
        ("Ms Rhea Talbot agreed.", ["Ms Rhea Talbot"]),
    ],
)
def test_people_without_job_titles(sentence: str, expected: list[str]) -> None:
    assert found(sentence, "PERSON") == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The President said nothing.",  # a title without a name
        "General Assembly delegates voted.",  # a title word starting an organisation
        "The general manager Ana left.",  # a role before a single name: too weak
        "Thank you, Mr Speaker.",
    ],
)
def test_not_people(sentence: str) -> None:
    assert found(sentence, "PERSON") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Russian Ministry of Defence released video.", ["Russian Ministry of Defence"]),
        ("The Ministry of Defence released video.", ["Ministry of Defence"]),
        (
            "He works at the Foundation for the Defense of Democracies in Washington.",
            ["Foundation for the Defense of Democracies"],
        ),
        ("The Port Authority of Valmora closed the docks.", ["Port Authority of Valmora"]),
        ("The Civil Aviation Office estimated the cost.", ["Civil Aviation Office"]),
        ("The Meridian Institute published data.", ["Meridian Institute"]),
        ("The Grain Export Agency objected.", ["Grain Export Agency"]),
        ("The Harbour Safety Board met.", ["Harbour Safety Board"]),
        ("The Election Commission counted votes.", ["Election Commission"]),
        ("Fighters from the Syrian Army advanced.", ["Syrian Army"]),
    ],
)
def test_organisations(sentence: str, expected: list[str]) -> None:
    assert found(sentence, "ORG") == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Union leaders say talks have stalled.",  # the head word alone
        "Police closed the road.",
        "The board met on Friday.",  # lowercase
        "The Russian Federation denied it.",  # a country, not an organisation
    ],
)
def test_not_organisations(sentence: str) -> None:
    assert found(sentence, "ORG") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Procter and Gamble said sales would fall.", ["Procter and Gamble"]),
        ("Shares in Marks and Spencer rose on Monday.", ["Marks and Spencer"]),
        ("Johnson and Johnson recalled the drug.", ["Johnson and Johnson"]),
        ("The deal with Halden & Vosk was signed.", ["Halden & Vosk"]),
    ],
)
def test_one_organisation_joined_by_and(sentence: str, expected: list[str]) -> None:
    assert found(sentence, "ORG") == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Smith and Jones said the deal was dead.",  # two people, or nothing says otherwise
        "Ana Lisk and Marks met on Monday.",  # a side of two words
        "The Army and Navy took part.",  # organisation nouns: two bodies
        "Varnia and Kostrova agree on a ceasefire.",
    ],
)
def test_two_subjects_joined_by_and_stay_apart(sentence: str) -> None:
    assert found(sentence, "ORG") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Russian jets and French ships took part.", ["Russian", "French"]),
        (
            "Portuguese, Greek, Polish, Irish and Italian ministers met.",
            ["Portuguese", "Greek", "Polish", "Irish", "Italian"],
        ),
        ("Nordic leaders agreed.", ["Nordic"]),
        ("Syrians fled the town.", ["Syrians"]),
        ("French President Lucien Marchetti spoke.", ["French"]),
    ],
)
def test_demonyms(sentence: str, expected: list[str]) -> None:
    assert found(sentence, "NORP") == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The Russian Federation objected.",  # part of a country's name
        "She reads the Irish Courier daily.",  # part of a newspaper's name
        "The Russian Ministry of Defence said so.",  # inside an organisation
        "She speaks russian.",  # lowercase: not the demonym
    ],
)
def test_not_demonyms(sentence: str) -> None:
    assert found(sentence, "NORP") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A Tu-22M3 flew over.", ["Tu-22M3"]),
        ("Two Su-34 jets escorted it.", ["Su-34"]),
        ("The army bought Kestrel-7 drones.", ["Kestrel-7"]),
        ("The ship carries Mk 41 launchers.", ["Mk 41"]),
        ("Halberd-3 interceptors were fired.", ["Halberd-3"]),
    ],
)
def test_equipment(sentence: str, expected: list[str]) -> None:
    assert found(sentence, "WEAPON") == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "COVID-19 cases rose.",
        "The G-20 summit opened.",
        "He has Type 2 diabetes.",
        "A war-torn region.",
    ],
)
def test_not_equipment(sentence: str) -> None:
    assert found(sentence, "WEAPON") == []


def test_every_suggestion_names_its_rule_and_is_token_aligned() -> None:
    suggestions = RulesSuggester(default_schema()).suggest(item(ARTICLE))
    assert suggestions
    tokens = item(ARTICLE).tokens
    for s in suggestions:
        assert s.reason and s.suggester == "rules"
        assert 0 < s.score <= 1
        assert tokens.is_token_aligned(s.start, s.end)


def test_longest_match_wins_over_what_it_contains() -> None:
    text = "The Russian Ministry of Defence and Russian pilots."
    assert spans(text, RulesSuggester(default_schema()).suggest(item(text))) == [
        ("Russian Ministry of Defence", "ORG"),
        ("Russian", "NORP"),
    ]


def test_nothing_inside_ignored_ranges() -> None:
    text = ARTICLE
    ranges = boilerplate(text)
    without = RulesSuggester(default_schema()).suggest(item(text, ignored=ranges))
    for s in without:
        assert not any(s.start < end and start < s.end for start, end in ranges)
    # The body glued to the appeal ("...the difference.The Valmoran Ministry...") is not lost.
    assert ("Valmoran Ministry of Defence", "ORG") in spans(text, without)


def test_labels_outside_the_schema_are_not_suggested_and_the_version_follows_it() -> None:
    small = LabelSchema("small", 1, (EntityLabel("DATE", "#999999"),))
    text = "Mr Dravin left on Tuesday with 40 ships."
    suggestions = RulesSuggester(small).suggest(item(text, schema=small))
    assert spans(text, suggestions) == [("Tuesday", "DATE")]
    assert RulesSuggester(small).version != RulesSuggester(default_schema()).version
    assert RulesSuggester(default_schema()).version == RulesSuggester(default_schema()).version
