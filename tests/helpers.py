"""Fixture builders shared by the tests (plain functions, no pytest magic)."""

from __future__ import annotations

from pathlib import Path

APPEAL = (
    "Readers like you keep this newsroom going\n"
    "We report from places others have left, and we answer to nobody but our readers.\n"
    "If you value reporting that takes its time, a small monthly gift changes what we can do.\n"
    "Every gift, however small, keeps the lights on."
)
FOOTER = "Join the readers' conversation\nShare your view with other subscribers\nComments"


def article(headline: str, standfirst: str, body: list[str]) -> str:
    """An article in the shape of scraped news: appeal glued to the first body line."""
    first, *rest = body
    lines = [headline, standfirst, APPEAL + first, *rest, FOOTER]
    return "\n".join(lines) + "\n"


ARTICLES = [
    article(
        "Harbour cranes idle as dock workers extend strike",
        "Union leaders say talks with the port authority have stalled",
        [
            "Dock workers in Valmora extended their strike on Monday, the union said.",
            "The Port Authority of Valmora reported that 41 ships were waiting offshore.",
            "Union secretary Marta Ilves told reporters the offer was 'an insult'.",
        ],
    ),
    article(
        "Flood barriers raised along the Drava after two days of rain",
        "Engineers warn the river could peak again on Thursday",
        [
            "Engineers raised 12 flood barriers overnight, according to the city council.",
            "Residents of the Lower Quay district were allegedly told to leave by noon.",
            "Mayor Petra Novak said 300 homes had lost power within 24 hours.",
        ],
    ),
    article(
        "Regional airline grounds fleet after software fault",
        "Passengers stranded at three airports as checks continue",
        [
            "Skylane Regional grounded its 14 turboprops on Sunday, the company announced.",
            "About 2,300 passengers were affected, the Civil Aviation Office estimated.",
            "Chief executive Jonas Berg said flights would resume within 48 hours.",
        ],
    ),
]


def write_articles(folder: Path, texts: list[str] = ARTICLES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(texts):
        path = folder / f"article-{i:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
