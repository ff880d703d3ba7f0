"""The claim suggester: content span, cue, claimant, type and hedging on news sentences."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.core.claim_figures import figures_from_slots, figures_in
from annotator.core.model import Layer
from annotator.core.schema import LabelSchema, default_schema
from annotator.suggest.claims import ClaimSuggester
from tests.suggest.news import ARTICLE, boilerplate, item


def claims(text: str, **kwargs: Any) -> list[dict[str, Any]]:
    """Each claim suggestion as covered texts: span, cue, claimant (text, label), type,
    hedged; and how a claimant referred to was resolved, when it was."""
    schema = kwargs.pop("schema", default_schema())
    found = ClaimSuggester(schema).suggest(item(text, schema=schema, **kwargs))
    result = []
    for s in found:
        assert s.layer is Layer.CLAIM and s.label == schema.claim_label
        cue = s.attributes["cue"]
        claimant = s.attributes["claimant"]
        result.append(
            {
                "claim": text[s.start : s.end],
                "cue": text[cue[0] : cue[1]] if cue else None,
                "claimant": (text[claimant[0] : claimant[1]], claimant[2]) if claimant else None,
                "type": s.attributes["type"],
                "hedged": s.attributes["hedged"],
                **(
                    {"resolved": s.attributes["claimant_reason"]}
                    if "claimant_reason" in s.attributes
                    else {}
                ),
            }
        )
    return result


def test_attributed_figures_with_an_organisation_as_claimant() -> None:
    text = (
        "The Valmoran Ministry of Defence recently reported that 33 air strikes had destroyed "
        "49 Isis targets within 24 hours."
    )
    assert claims(text) == [
        {
            "claim": "33 air strikes had destroyed 49 Isis targets within 24 hours",
            "cue": "reported",
            "claimant": ("Valmoran Ministry of Defence", "ORG"),
            "type": "quantity",
            "hedged": False,
        }
    ]


def test_the_suggestion_carries_what_accepting_it_needs() -> None:
    text = "The Ministry of Defence reported that 33 air strikes had hit 49 targets."
    [suggestion] = ClaimSuggester(default_schema()).suggest(item(text))
    assert set(suggestion.attributes) == {"cue", "type", "hedged", "claimant", "quantities"}
    start, end, label = suggestion.attributes["claimant"]
    assert (text[start:end], label) == ("Ministry of Defence", "ORG")
    assert suggestion.reason.startswith("reporting cue “reported”; claimant “Ministry of Defence”")
    assert suggestion.score > 0.8


def test_a_quoted_statement_with_a_titled_person_as_claimant() -> None:
    text = (
        'Colonel General Andrei Voskov announced recently that "in total 127 sorties were '
        'made" against "206 terrorist targets."'
    )
    [claim] = claims(text)
    # Quotation marks stay balanced: the closing quote (and the stop inside it) is kept.
    assert claim["claim"] == '"in total 127 sorties were made" against "206 terrorist targets."'
    assert claim["cue"] == "announced"
    assert claim["claimant"] == ("Colonel General Andrei Voskov", "PERSON")
    assert claim["type"] == "quantity"  # figures first: they are what gets checked


def test_content_after_said_without_that() -> None:
    [claim] = claims("Mayor Petra Novak said 300 homes had lost power within 24 hours.")
    assert claim["claim"] == "300 homes had lost power within 24 hours"
    assert claim["cue"] == "said"
    # A job title is not part of the name (honorifics and ranks are).
    assert claim["claimant"] == ("Petra Novak", "PERSON")


def test_attribution_after_a_comma() -> None:
    [claim] = claims("Dock workers in Port Sela extended their strike on Monday, the union said.")
    assert claim == {
        "claim": "Dock workers in Port Sela extended their strike on Monday",
        "cue": "said",
        "claimant": None,  # "the union" is not a name
        "type": "event",
        "hedged": False,
    }


def test_inverted_attribution_after_a_quotation() -> None:
    [claim] = claims("“We will rebuild the bridge by spring,” said Mr Dravin.")
    assert claim["claim"] == "We will rebuild the bridge by spring"
    assert claim["claimant"] == ("Mr Dravin", "PERSON")
    assert claim["type"] == "quote"


def test_according_to_first_and_last() -> None:
    [first] = claims(
        "According to the Civil Aviation Office, about 2,300 passengers were stranded."
    )
    assert first["claim"] == "about 2,300 passengers were stranded"
    assert first["cue"] == "According to"
    assert first["claimant"] == ("Civil Aviation Office", "ORG")
    assert first["type"] == "quantity"
    [last] = claims("Engineers raised 12 flood barriers overnight, according to the city council.")
    assert last["claim"] == "Engineers raised 12 flood barriers overnight"
    assert last["cue"] == "according to"
    assert last["claimant"] is None


def test_told_skips_its_object() -> None:
    [claim] = claims("Union secretary Marta Ilves told reporters the offer was 'an insult'.")
    assert claim["claim"] == "the offer was 'an insult'"
    assert claim["cue"] == "told"
    assert claim["claimant"] == ("Marta Ilves", "PERSON")


def test_a_colon_introduces_a_quotation_in_the_next_sentence() -> None:
    text = (
        "As Boris Ostrander, an analyst at the Foundation for Maritime Studies, told the "
        "Harbour Gazette:\n"
        '"The blockade is part of a slick campaign to sell the war at home."\n'
    )
    [claim] = claims(text)
    assert claim["claim"] == '"The blockade is part of a slick campaign to sell the war at home."'
    assert claim["cue"] == "told"
    assert claim["claimant"] == ("Boris Ostrander", "PERSON")
    assert claim["type"] == "quote"


@pytest.mark.parametrize(
    ("sentence", "claim_type"),
    [
        ("Officials said the bridge collapsed because the cables were cut.", "causal"),
        ("Analysts warned that prices will rise next year.", "prediction"),
        ("Chief executive Jonas Berg said flights would resume within 48 hours.", "prediction"),
        ("The mayor said the fire destroyed the old market.", "event"),
        ("Mr Dravin said that 14 turboprops were grounded.", "quantity"),
    ],
)
def test_claim_types(sentence: str, claim_type: str) -> None:
    [claim] = claims(sentence)
    assert claim["type"] == claim_type


@pytest.mark.parametrize(
    ("sentence", "hedged"),
    [
        ("Officials said the refinery allegedly belonged to the militia.", True),
        ("Officials said the convoy was believed to carry fuel.", True),
        ("The ministry said the drones may have crossed the border.", True),
        ("The ministry said the drones could cross the border.", True),
        ("Mr Dravin is said to have approved the plan, the paper reported.", True),
        ("Investigators suggested that a bomb was used.", True),  # a tentative cue
        ("The ministry said the drones crossed the border.", False),
        ("Police said the drones appeared to be large commercial models.", True),
        ("The rebels claimed to have shot down 12 drones on Monday.", True),
        # A comment after the content is not a hedge of the claim.
        ("A spokesman said 14 people were killed, a figure that could not be verified.", False),
    ],
)
def test_hedges(sentence: str, hedged: bool) -> None:
    [claim] = claims(sentence)
    assert claim["hedged"] is hedged


def test_a_reporting_adverb_makes_the_sentence_a_hedged_claim() -> None:
    [claim] = claims(
        "Mr Dravin and French President Lucien Marchetti have reportedly agreed to "
        "coordinate attacks within the region."
    )
    assert claim["claim"].startswith("Mr Dravin and French President")
    assert claim["claim"].endswith("within the region")
    # The hedge word sets the flag; it is never the cue.
    assert claim["cue"] is None
    assert claim["hedged"] is True
    assert claim["claimant"] is None
    [leading] = claims("Allegedly, the agency has been used to sway voters abroad.")
    assert leading["claim"] == "the agency has been used to sway voters abroad"
    assert (leading["cue"], leading["hedged"]) == (None, True)


def test_a_hedge_beside_a_cue_is_not_the_cue() -> None:
    [claim] = claims("The rebels reportedly said 40 soldiers had surrendered.")
    assert (claim["cue"], claim["hedged"]) == ("said", True)
    assert claim["claim"] == "40 soldiers had surrendered"


def test_a_figure_alone_makes_a_claim_without_cue_or_claimant() -> None:
    [claim] = claims("Valmora intensifies air campaign with '127 sorties'")
    assert claim == {
        "claim": "Valmora intensifies air campaign with '127 sorties'",
        "cue": None,
        "claimant": None,
        "type": "quantity",
        "hedged": False,
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "The weather was mild and the market was busy.",
        "The talks resume on 12 March.",  # a date is not a figure
        "Video shows a fleet of Tu-22M3 bombers.",  # a designator is not a figure
        "Residents were told to leave by noon.",  # "told to" is not a cue
        "The confirmed cases were few.",
        "Yes.",
    ],
)
def test_no_claim(sentence: str) -> None:
    assert claims(sentence) == []


def test_claims_stay_in_one_sentence_and_are_token_aligned() -> None:
    suggestions = ClaimSuggester(default_schema()).suggest(item(ARTICLE))
    tokens = item(ARTICLE).tokens
    assert len(suggestions) >= 4
    for s in suggestions:
        assert tokens.is_token_aligned(s.start, s.end)
        sentence = tokens.sentence_at(s.start)
        assert sentence is not None and s.end <= sentence.end
        cue = s.attributes["cue"]
        if cue:
            assert tokens.is_token_aligned(*cue)
        claimant = s.attributes["claimant"]
        if claimant:
            assert tokens.is_token_aligned(claimant[0], claimant[1])


def test_nothing_in_boilerplate() -> None:
    text = "Donations have reportedly doubled this year.\nThe ministry said 41 ships were seized.\n"
    ranges = ((0, text.index("\n")),)
    assert [c["claim"] for c in claims(text, ignored=ranges)] == ["41 ships were seized"]
    ranges = boilerplate(ARTICLE)
    for s in ClaimSuggester(default_schema()).suggest(item(ARTICLE, ignored=ranges)):
        assert not any(s.start < end and start < s.end for start, end in ranges)


def test_the_schema_decides_the_label_and_the_types() -> None:
    data = default_schema().to_dict()
    data["claim"]["label"] = "CHECKWORTHY"
    data["claim"]["types"] = ["event", "other"]
    schema = LabelSchema.from_dict(data)
    text = "Officials said 41 ships were seized."
    [claim] = claims(text, schema=schema)
    assert claim["type"] == "other"  # "quantity" is not in this schema
    assert ClaimSuggester(schema).version != ClaimSuggester(default_schema()).version


# -- the claim span is the asserted content ------------------------------------------------


def test_the_content_not_the_attribution_after_that() -> None:
    [claim] = claims(
        "Colonel General Ivo Karst announced that 127 sorties were made against 206 targets."
    )
    assert claim["claim"] == "127 sorties were made against 206 targets"
    assert claim["cue"] == "announced"


@pytest.mark.parametrize(
    ("sentence", "content", "cue"),
    [
        # a place or time phrase between the cue and "that"
        (
            "A group calling itself Grey Lantern said on a dark-web forum that it held "
            "40 gigabytes of data.",
            "it held 40 gigabytes of data",
            "said",
        ),
        # a trailing comment on the content is not part of it
        (
            "A rebel spokesman said 14 civilians had been killed, a figure that could not be "
            "verified.",
            "14 civilians had been killed",
            "said",
        ),
        # a semicolon ends the content
        (
            "Officials said the attack halted a fifth of its output; Varnia has not commented.",
            "the attack halted a fifth of its output",
            "said",
        ),
        # an apposition after "According to X," is not content
        (
            "According to the Centre for Security Studies, a think tank in Drezna, the rebels "
            "still control 40% of the province.",
            "the rebels still control 40% of the province",
            "According to",
        ),
        # two appositions before a trailing cue belong to the attribution
        (
            "Three miners were killed when a tunnel roof collapsed, the operator, Redrock "
            "Minerals, said.",
            "Three miners were killed when a tunnel roof collapsed",
            "said",
        ),
        # a long subject and a long time phrase after the cue
        (
            "The army has lost about 40% of its tanks, the Centre for Eastern Security Studies "
            "(CESS) said in a report published on Wednesday.",
            "The army has lost about 40% of its tanks",
            "said",
        ),
        # "estimates" ends the sentence: a trailing cue without "that"
        (
            "The Varnian army has lost 210 tanks over the same period, the report estimates.",
            "The Varnian army has lost 210 tanks over the same period",
            "estimates",
        ),
        ("A report found that shelling had risen by 30% in March.", None, "found"),
        ("The mayor accused the council of ignoring the warnings.", None, "accused"),
    ],
)
def test_the_content_ends_where_the_assertion_ends(
    sentence: str, content: str | None, cue: str
) -> None:
    [claim] = claims(sentence)
    if content is not None:
        assert claim["claim"] == content
    assert claim["cue"] == cue
    if cue == "found":
        assert claim["claim"] == "shelling had risen by 30% in March"
    if cue == "accused":
        assert claim["claim"] == "ignoring the warnings"


def test_two_statements_of_one_attribution_are_two_claims() -> None:
    found = claims(
        "The bank said no passwords had been taken and that the breach had been discovered "
        "on October 3."
    )
    assert [(c["claim"], c["cue"]) for c in found] == [
        ("no passwords had been taken", "said"),
        ("the breach had been discovered on October 3", "said"),
    ]
    found = claims(
        "The company said about 4,500 homes were still cut off and expected most to be "
        "reconnected by Wednesday."
    )
    assert [(c["claim"], c["cue"]) for c in found] == [
        ("about 4,500 homes were still cut off", "said"),
        ("most to be reconnected by Wednesday", "expected"),
    ]
    # Another act of the subject ends the content, and is not a claim of its own.
    [only] = claims("The group said it held 40 gigabytes of data and demanded $5m in bitcoin.")
    assert only["claim"] == "it held 40 gigabytes of data"


def test_but_starts_the_writers_own_statement() -> None:
    found = claims(
        "Mr Pike claimed that 300 ballots had been counted twice, but a recount in two wards "
        "confirmed the result."
    )
    assert [(c["claim"], c["cue"]) for c in found] == [
        ("300 ballots had been counted twice", "claimed"),
        ("a recount in two wards confirmed the result", None),
    ]


# -- headlines -------------------------------------------------------------------------------


def _demo(name: str) -> tuple[str, list[dict[str, Any]]]:
    """The demo article ``name`` read as the project imports it, and its claim suggestions."""
    from pathlib import Path

    from annotator.core.resources import resource
    from annotator.ingest.records import ImportedDocument
    from annotator.ingest.txt import read_txt

    [path] = Path(str(resource("demo"))).rglob(name)
    [doc] = [d for d in read_txt(path) if isinstance(d, ImportedDocument)]
    schema = default_schema()
    found = ClaimSuggester(schema).suggest(item(doc.text, schema=schema, title=doc.title))
    return doc.text, [
        {"claim": doc.text[s.start : s.end], "start": s.start, "cue": s.attributes["cue"]}
        for s in found
    ]


def test_a_demo_headline_with_a_figure_is_not_a_claim() -> None:
    text, found = _demo("01-port-strike.txt")
    headline, standfirst = text.split("\n")[:2]
    assert headline == "Marseille dockers extend strike as 140 ships wait outside the port"
    assert all(c["start"] >= len(headline) for c in found)
    # The standfirst's figure is not a claim either; its reporting cue makes one.
    second = [c for c in found if c["start"] < len(headline) + 1 + len(standfirst)]
    assert [c["claim"] for c in second] == [
        "the walkout will continue until the terminal operator agrees to talks on automation"
    ]
    # The body still has its claims.
    assert len(found) >= 3


def test_a_headline_with_a_reporting_cue_is_a_claim() -> None:
    text, found = _demo("03-vaccine-rollout.txt")
    headline = text.split("\n")[0]
    assert headline.endswith(", health board says")
    [first] = [c for c in found if c["start"] < len(headline)]
    assert first["claim"] == "Winter vaccine drive reaches 212,000 people in three weeks"
    assert text[first["cue"][0] : first["cue"][1]] == "says"


def test_a_first_line_that_ends_like_a_sentence_is_body() -> None:
    text = "The ministry counted 41 ships in the harbour.\nNo one was hurt.\n"
    assert [c["claim"] for c in claims(text)] == ["The ministry counted 41 ships in the harbour"]
    assert claims("Storm leaves 12,000 homes without power\nCrews are at work.\n") == []


# -- claimants across sentences ------------------------------------------------------------


def test_he_said_is_the_nearest_earlier_person() -> None:
    text = (
        "Mayor Dusan Orlik told the Eastgate Observer that 43 houses had been damaged.\n"
        '"We have no water and no electricity," he said.\n'
    )
    first, second = claims(text)
    assert first["claimant"] == ("Dusan Orlik", "PERSON")
    assert second["claimant"] == ("Dusan Orlik", "PERSON")  # not the Eastgate Observer
    assert second["resolved"] == "‘he’ → Dusan Orlik, 1 sentence earlier"
    assert "claimant ‘he’ → Dusan Orlik, 1 sentence earlier (PERSON)" in (
        ClaimSuggester(default_schema()).suggest(item(text))[1].reason
    )


def test_the_ministry_is_the_nearest_earlier_organisation_with_that_noun() -> None:
    text = (
        "The footage was published by the Varnian Ministry of Defence on Tuesday.\n"
        "Crews from Halvard Dynamics were seen at the airbase.\n"
        "In a statement, the ministry reported that 96 sorties had been flown.\n"
    )
    [claim] = claims(text)
    assert claim["claimant"] == ("Varnian Ministry of Defence", "ORG")
    assert claim["resolved"] == "‘the ministry’ → Varnian Ministry of Defence, 2 sentences earlier"


def test_an_unnamed_spokesman_speaks_for_the_last_organisation() -> None:
    text = (
        "The Free Highlands Front denied that its depots had been hit.\n"
        "A rebel spokesman said on Wednesday that 14 civilians had been killed in Tarn.\n"
    )
    second = claims(text)[1]
    assert second["claimant"] == ("Free Highlands Front", "ORG")
    assert second["resolved"].startswith("‘a rebel spokesman’ → Free Highlands Front")


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        # a reference with nothing to refer to, and unnamed sources, have no claimant
        ("The union said 230 members had joined the strike.", None),
        ("She said 230 members had joined the strike.", None),
        ("Police say the drones were flown from a field near the runway.", None),
        ("Forecasters said 40 mm of rain could fall by Friday.", None),
        # a country speaks
        (
            "The government of neighbouring Kostrova said Varnian jets had crossed into its "
            "airspace on three occasions.",
            ("Kostrova", "GPE"),
        ),
        # names: organisations and people told apart by what surrounds them
        (
            "Three miners were killed when a roof collapsed, the operator, Redrock Minerals, said.",
            ("Redrock Minerals", "ORG"),
        ),
        (
            '"Elin is a journalist, not a spy," Almora One editor David Krane said.',
            ("David Krane", "PERSON"),
        ),
        (
            "The federation's president, Lukas Berger, said the warnings had been ignored.",
            ("Lukas Berger", "PERSON"),
        ),
        (
            "Varnian President Andrej Volkan said fuel taxes would be frozen.",
            ("Andrej Volkan", "PERSON"),
        ),
        (
            "Coastal Energy Networks said 4,500 homes were still cut off.",
            ("Coastal Energy Networks", "ORG"),
        ),
        # "and" inside an organisation's "of" part keeps the name whole ...
        (
            "The Federation of Port and Dock Workers said 92% of its members had backed it.",
            ("Federation of Port and Dock Workers", "ORG"),
        ),
        (
            "Dock workers met again.\nThe Federation of Port and Dock Workers said the strike "
            "would go on.",
            ("Federation of Port and Dock Workers", "ORG"),
        ),
        # ... but two speakers joined by "and" stay two (the first is the claimant)
        ("Ana Lisk and Tomas Berg said the deal was dead.", ("Ana Lisk", "PERSON")),
        (
            "Redrock Minerals and Coastal Energy Networks said prices would rise by 4%.",
            ("Redrock Minerals", "ORG"),
        ),
        # One organisation named by two words joined by "and" is whole: a name known as one,
        # the same word on both sides, "&", or a singular verb after it ...
        ("Procter and Gamble said sales would fall by 4%.", ("Procter and Gamble", "ORG")),
        ("Johnson and Johnson said the vaccine was safe.", ("Johnson and Johnson", "ORG")),
        ("Marks and Spencer said 30 stores would close.", ("Marks and Spencer", "ORG")),
        ("Sales will fall by 4%, according to Marks and Spencer.", ("Marks and Spencer", "ORG")),
        (
            "A spokesman for Procter and Gamble said 300 jobs would go.",
            ("Procter and Gamble", "ORG"),
        ),
        ("Halden & Vosk said 300 jobs would go.", ("Halden & Vosk", "ORG")),
        ("Halden and Vosk has said 300 jobs would go.", ("Halden and Vosk", "ORG")),
        # ... but two subjects stay two, and when nothing says it is one name it is not
        # guessed (no claimant, as before)
        ("Smith and Jones said the deal was dead.", None),
        ("Mr Halden spoke first.\nHalden and Vosk has said 300 jobs would go.", None),
        ("Army and Navy said 30 ships were ready.", None),
    ],
)
def test_claimants(sentence: str, claimant: tuple[str, str] | None) -> None:
    [claim] = claims(sentence)
    assert claim["claimant"] == claimant
    assert "resolved" not in claim


def test_a_surname_alone_is_the_person_mentioned_before() -> None:
    text = (
        "Colonel General Teodor Haskel commands the air operation.\n"
        "Haskel said 96 sorties had been flown.\n"
    )
    [claim] = claims(text)
    assert claim["claimant"] == ("Colonel General Teodor Haskel", "PERSON")
    assert claim["resolved"] == "‘Haskel’ → Colonel General Teodor Haskel, 1 sentence earlier"


# -- number slots ----------------------------------------------------------------------------


def slots(text: str) -> list[list[tuple[str, str, str]]]:
    """Per claim suggestion: its quantities as (figure, unit, counted)."""
    return [
        [(q["figure"], q["unit"], q["counted"]) for q in s.attributes.get("quantities", [])]
        for s in ClaimSuggester(default_schema()).suggest(item(text))
    ]


def test_a_quantity_claim_proposes_its_number_slots() -> None:
    assert slots(
        "The Valmoran Ministry of Defence recently reported that 33 air strikes had destroyed "
        "49 Isis targets within 24 hours."
    ) == [[("33", "", "air strikes"), ("49", "", "Isis targets"), ("24", "", "hours")]]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The rebels still control 40% of Merren province.", [("40", "%", "Merren province")]),
        ("Hackers stole data of 1.2 million customers.", [("1200000", "", "customers")]),
        ("Varnia signed a $1.4bn deal on Monday.", [("1400000000", "$", "")]),
        ("The fleet landed 8,200 tonnes of cod.", [("8200", "tonnes", "cod")]),
        ("The ships came within 12 nautical miles of the harbour.", [("12", "nautical miles", "")]),
        (
            "The farm would close 120 square km of fishing grounds.",
            [("120", "square km", "fishing grounds")],
        ),
        ("Two frigates passed the cape with two tugs.", [("2", "", "frigates"), ("2", "", "tugs")]),
        ("The work began three weeks ago with 40 workers.", [("40", "", "workers")]),
    ],
)
def test_slots(sentence: str, expected: list[tuple[str, str, str]]) -> None:
    assert slots(sentence) == [expected]


def test_claims_without_figures_have_no_slots() -> None:
    [claim] = ClaimSuggester(default_schema()).suggest(
        item("The mayor said the fire destroyed the old market.")
    )
    assert "quantities" not in claim.attributes


def test_the_ministry_is_not_the_last_company_named() -> None:
    text = (
        "Crews from Halvard Dynamics were seen at the airbase.\n"
        "The civil protection ministry said 40 homes had burned.\n"
        "The company said 12 drones had been delivered.\n"
    )
    first, second = claims(text)
    assert first["claimant"] is None  # no ministry was named before
    assert second["claimant"] == ("Halvard Dynamics", "ORG")  # any organisation is a company


def test_a_quotation_said_by_a_described_person() -> None:
    [claim] = claims(
        "“The company wants to replace our crane drivers,” said union secretary Hélène Marchetti."
    )
    assert claim["claim"] == "The company wants to replace our crane drivers"
    assert claim["claimant"] == ("Hélène Marchetti", "PERSON")


@pytest.mark.parametrize(
    "sentence",
    [
        "The ministry said that 1.5 million people had fled and 40% of Merren was cut off.",
        "Officials said 33 air strikes had destroyed 49 Isis targets within 24 hours.",
        "The company reported that it had shipped 1,200 tonnes of grain.",
    ],
)
def test_proposed_slots_give_the_figures_claim_grouping_reads_from_the_text(
    sentence: str,
) -> None:
    # Claim groups compare figures by value and unit; a slot that wrote "1500000" where the
    # text says "1.5 million" must still meet the same claim reported without slots.
    [claim] = ClaimSuggester(default_schema()).suggest(item(sentence))
    from_slots = {f.key for f in figures_from_slots(claim.attributes)}
    from_text = {f.key for f in figures_in(sentence[claim.start : claim.end])}
    assert from_slots and from_slots <= from_text


def test_a_quotation_after_another_sentence_is_the_claim_and_its_speaker_the_claimant() -> None:
    # The quotation's opening mark used to stay with the sentence before, and the claim
    # became the speaker's name after "said".
    [claim] = claims(
        "Talks failed on Friday. “The company wants to replace our crane drivers with "
        "remote operators,” said union secretary Hélène Marchetti. “We are not against it.”"
    )
    assert claim["claim"] == (
        "The company wants to replace our crane drivers with remote operators"
    )
    assert claim["claimant"] == ("Hélène Marchetti", "PERSON")
    assert claim["cue"] == "said"
