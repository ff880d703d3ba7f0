"""Invented news articles in the shape scrapers produce, and builders for bad input files.

The shape: headline (line 1), standfirst (line 2), the outlet's donation appeal, the body
glued to the appeal's last sentence without a line break, and a comment-forum footer. The
outlet, people and events are made up.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import orjson

APPEAL = (
    "Readers keep the Lantern Post going",
    "From flood defences to council budgets, our reporters spend weeks checking the numbers "
    "that officials would rather you skimmed. We sit through the hearings, read the filings "
    "and ask the questions nobody else in the room will ask.",
    "We keep every article free to read because we think facts should not sit behind a "
    "paywall. That only works while enough readers chip in, whatever they can spare.",
)
#: The appeal's last sentence: the body is glued straight onto it.
APPEAL_GLUE = "Every contribution keeps a reporter on the story."

FOOTER = (
    "Have your say in the reader forum",
    "Share your views with other Lantern Post readers and follow the replies to your posts",
    "Comments",
)


@dataclass(frozen=True, slots=True)
class Story:
    headline: str
    standfirst: str
    paragraphs: tuple[str, ...]


STORIES: tuple[Story, ...] = (
    Story(
        "Dockers at Port Haverly walk out over night-shift rota",
        "Union says 42 cargo ships are stuck at anchor as the strike enters its second day",
        (
            "Dock workers at Port Haverly have stopped loading ships for a second day.",
            "The Haverly Dockworkers' Union said on Tuesday that 42 cargo vessels were waiting "
            "at anchor off the Mersley breakwater.",
            "Port director Alina Brandt told reporters the dispute could be settled by Friday, "
            "but union organiser Tomas Reyes said members would not return without a new rota.",
        ),
    ),
    Story(
        "River Calder bursts its banks after record rainfall",
        "Emergency crews evacuate 300 homes in the Lowfield district overnight",
        (
            "Floodwater from the River Calder reached the centre of Brenmouth before dawn.",
            "The regional water agency reported that 118 millimetres of rain had fallen in 24 "
            "hours, the most since records began in 1911.",
            "Mayor Ingrid Solberg allegedly ignored a warning from engineers last spring that "
            "the Lowfield embankment was failing.",
        ),
    ),
    Story(
        "Central bank holds rates as inflation cools",
        "Governor signals cuts could come before the summer",
        (
            "The Bank of Norvalia kept its main interest rate at 4.25 per cent on Thursday.",
            "Governor Piet Malouf said inflation had fallen to 2.9 per cent in March and was "
            "likely to keep easing.",
            "Analysts at the Carrow Institute predicted two quarter-point cuts by the end of "
            "the year.",
        ),
    ),
    Story(
        "Eleven miners rescued after tunnel collapse in Gravenholt",
        "Rescuers reached the men after 36 hours underground",
        (
            "All eleven miners trapped at the Gravenholt colliery were brought to the surface "
            "on Sunday evening.",
            "Mine operator Eastvale Minerals said a support beam had given way 400 metres "
            "below ground.",
            "The regional labour inspectorate has opened an inquiry into the company's safety "
            "record.",
        ),
    ),
    Story(
        "Recount confirms Ostrava-Lenz as winner of mayoral race",
        "Challenger concedes after margin grows to 212 votes",
        (
            "A full recount in Tessaly has confirmed Marta Ostrava-Lenz as the city's new mayor.",
            "The electoral commission said the recount found 212 more votes for Ms "
            "Ostrava-Lenz than for her rival, Daniel Kirsch.",
            "Mr Kirsch conceded on Monday and thanked his volunteers.",
        ),
    ),
    Story(
        "Drone maker wins contract to map coastal erosion",
        "Skylark Aerial will survey 180 kilometres of cliffs this year",
        (
            "Skylark Aerial has been chosen to map the eroding cliffs of the Fenwick coast.",
            "The coastal authority said the contract was worth 3.4 million crowns.",
            "Geologist Hana Ruiz warned that some cliff paths could be closed within five years.",
        ),
    ),
)


def article(story: Story, *, appeal: bool = True, footer: bool = True) -> str:
    """A scraped article: headline, standfirst, appeal glued to the body, footer."""
    lines = [story.headline, story.standfirst]
    body = list(story.paragraphs)
    if appeal:
        lines.extend(APPEAL)
        body[0] = APPEAL_GLUE + body[0]
    lines.extend(body)
    if footer:
        lines.extend(FOOTER)
    return "\n".join(lines) + "\n"


_WORDS = (
    "harbour council river budget minister crews union vote report museum bridge school "
    "farmers railway festival drought court hospital station market police tunnel energy "
    "factory village airport coast forest election study inquiry contract tariff wages"
).split()


def random_story(rng: random.Random, index: int) -> Story:
    """A distinct invented story, for corpora larger than :data:`STORIES`."""

    def sentence(words: int) -> str:
        text = " ".join(rng.choice(_WORDS) for _ in range(words))
        return f"{text.capitalize()} {index}-{rng.randrange(10**9)}."

    return Story(
        headline=sentence(8)[:-1],
        standfirst=sentence(14)[:-1],
        paragraphs=tuple(
            " ".join(sentence(rng.randrange(8, 20)) for _ in range(rng.randrange(1, 4)))
            for _ in range(rng.randrange(6, 14))
        ),
    )


def write_jsonl(path: Path, lines: list[bytes | dict[str, object]]) -> Path:
    """Write JSON Lines; a ``bytes`` item is written raw (for broken lines)."""
    with path.open("wb") as handle:
        for line in lines:
            handle.write(line if isinstance(line, bytes) else orjson.dumps(line))
            handle.write(b"\n")
    return path


#: The first bytes of a PNG file: a binary file mistaken for text.
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(64)


def span(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """``(start, end)`` of the ``occurrence``-th ``needle`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def native_record(record_id: str = "doc-1", story: Story = STORIES[0]) -> dict[str, object]:
    """A valid native JSONL record: entities, a claim with claimant and cue, decisions."""
    text = article(story, appeal=False, footer=False)
    union = span(text, "Haverly Dockworkers' Union")
    brandt = span(text, "Alina Brandt")
    claim = span(text, "42 cargo vessels were waiting at anchor off the Mersley breakwater")
    cue = span(text, "said", 0)
    return {
        "id": record_id,
        "title": story.headline,
        "text": text,
        "source": "Lantern Post",
        "meta": {"url": "https://example.org/port-strike"},
        "offsets": "codepoint",
        "entities": [
            {
                "id": "e1",
                "start": union[0],
                "end": union[1],
                "label": "ORG",
                "text": text[union[0] : union[1]],
                "annotator": "ana",
                "origin": "manual",
            },
            {
                "id": "e2",
                "start": brandt[0],
                "end": brandt[1],
                "label": "PERSON",
                "text": "Alina Brandt",
                "origin": "suggested:gazetteer",
            },
        ],
        "claims": [
            {
                "id": "c1",
                "start": claim[0],
                "end": claim[1],
                "text": text[claim[0] : claim[1]],
                "claimant": "e1",
                "cue": {"start": cue[0], "end": cue[1]},
                "type": "quantity",
                "hedged": False,
                "annotator": "ana",
                "origin": "manual",
            },
        ],
        "rejected": [
            {
                "start": brandt[0],
                "end": brandt[1],
                "label": "ORG",
                "layer": "entity",
                "suggester": "rules",
            },
        ],
        "ignored": [{"start": 0, "end": 10, "reason": "boilerplate"}],
        "status": "done",
    }
