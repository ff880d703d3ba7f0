from __future__ import annotations

import random
import re
from itertools import accumulate

import pytest

from annotator.core.model import IgnoredRange
from annotator.ingest import boilerplate
from annotator.ingest.boilerplate import BoilerplateSettings, detect, learn
from tests.ingest.fixtures import (
    APPEAL,
    APPEAL_GLUE,
    FOOTER,
    STORIES,
    Story,
    article,
    random_story,
)


def _texts(stories: tuple[Story, ...] | list[Story], **options: bool) -> dict[int, str]:
    return {index: article(story, **options) for index, story in enumerate(stories)}


def _marked(text: str, ranges: tuple[IgnoredRange, ...]) -> list[str]:
    return [text[r.start : r.end] for r in ranges]


def _assert_body_untouched(text: str, story: Story, ranges: tuple[IgnoredRange, ...]) -> None:
    """No range overlaps the headline, the standfirst or any body paragraph."""
    for part in (story.headline, story.standfirst, *story.paragraphs):
        start = text.index(part)
        end = start + len(part)
        for r in ranges:
            assert r.end <= start or r.start >= end, (part, text[r.start : r.end])


def test_glued_appeal_ends_right_before_the_body() -> None:
    texts = _texts(STORIES)

    result = detect(texts.items())

    for index, text in texts.items():
        story = STORIES[index]
        appeal, footer = result[index]
        assert appeal.reason == "boilerplate"
        # One range for the whole appeal: its lines and the line breaks between them.
        assert text[appeal.start : appeal.end] == "\n".join(APPEAL) + "\n" + APPEAL_GLUE
        assert text[appeal.end :].startswith(story.paragraphs[0])
        assert text[footer.start : footer.end] == "\n".join(FOOTER)
        _assert_body_untouched(text, story, result[index])


def test_footer_alone() -> None:
    texts = _texts(STORIES, appeal=False)
    result = detect(texts.items())
    for index, text in texts.items():
        assert _marked(text, result[index]) == ["\n".join(FOOTER)]


def test_a_footer_glued_to_the_last_body_sentence() -> None:
    texts = {
        index: text.replace("\n" + FOOTER[0], FOOTER[0]) for index, text in _texts(STORIES).items()
    }
    result = detect(texts.items())
    for index, text in texts.items():
        footer = result[index][-1]
        assert text[footer.start : footer.end] == "\n".join(FOOTER)
        assert text[: footer.start].endswith(STORIES[index].paragraphs[-1])


def test_no_false_positives_on_distinct_articles() -> None:
    texts = _texts(STORIES, appeal=False, footer=False)
    # Two articles share a headline, and every article ends with the short line "Comments":
    # neither is boilerplate (too few documents; too short and not next to other boilerplate).
    texts[1] = texts[0].split("\n", 1)[0] + "\n" + texts[1].split("\n", 1)[1]
    texts = {index: text + "Comments\n" for index, text in texts.items()}

    result = detect(texts.items())

    assert result == {index: () for index in texts}


def test_short_line_counts_next_to_boilerplate() -> None:
    texts = {
        index: text.replace(FOOTER[2], "Share\n" + FOOTER[2])
        for index, text in _texts(STORIES).items()
    }
    result = detect(texts.items())
    for index, text in texts.items():
        assert _marked(text, result[index])[-1].endswith("Share\nComments")


def test_a_paragraph_opening_with_an_abbreviation_keeps_it() -> None:
    # Every body starts "Mr. <name> said." right after the glued appeal: the frequent prefix
    # "…story.Mr." must not be taken as boilerplate.
    stories = [
        Story(s.headline, s.standfirst, (f"Mr. {s.headline.split()[0]} said.", *s.paragraphs))
        for s in STORIES
    ]
    texts = _texts(stories)
    result = detect(texts.items())
    for index, text in texts.items():
        appeal = result[index][0]
        assert text[appeal.end :].startswith("Mr. ")
        _assert_body_untouched(text, stories[index], result[index])


def test_two_documents_share_long_passages_and_their_ending() -> None:
    texts = _texts(STORIES[:2])
    result = detect(texts.items())
    for index, text in texts.items():
        # The appeal (over 200 characters) is marked, and so is the footer (under 200): both
        # documents end with it.
        appeal, footer = result[index]
        assert text[appeal.start : appeal.end].endswith(APPEAL_GLUE)
        assert text[footer.start : footer.end] == "\n".join(FOOTER)
        assert not text[footer.end :].strip()


def test_two_documents_ending_with_a_subscribe_footer() -> None:
    footer = "Leave a comment below\nSubscribe to the Lantern Post newsletter"
    texts = _texts(STORIES[:2], appeal=False, footer=False)
    texts = {index: f"{text}\n{footer}\n\n" for index, text in texts.items()}
    result = detect(texts.items())
    for index, text in texts.items():
        assert _marked(text, result[index]) == [footer]
        _assert_body_untouched(text, STORIES[index], result[index])


def test_two_documents_sharing_short_lines_elsewhere_keep_them() -> None:
    # The same short lines in the middle of both documents (a shared quote, say), and a shared
    # last line under 20 characters: neither is boilerplate in a source of two.
    shared = "Leave a comment below\nSubscribe to the Lantern Post newsletter"
    texts = _texts(STORIES[:2], appeal=False, footer=False)
    texts = {
        index: text.replace("\n", f"\n{shared}\n", 1) + "\nComments"
        for index, text in texts.items()
    }
    assert detect(texts.items()) == {index: () for index in texts}


def test_a_single_document_has_no_boilerplate() -> None:
    text = article(STORIES[0])
    assert detect([("only", text)]) == {"only": ()}
    assert detect([]) == {}


def test_one_shot_iterators_and_lists_agree() -> None:
    texts = _texts(STORIES)
    assert detect(iter(list(texts.items()))) == detect(list(texts.items()))


def test_ranges_never_cut_the_body_in_a_larger_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    # Small prune threshold and bucket: the lossy counter drops entries several times.
    monkeypatch.setattr(boilerplate, "_PRUNE_AT", 2_000)
    rng = random.Random(7)
    stories = [random_story(rng, index) for index in range(1_500)]
    # Only 40% carry the appeal, 30% the footer: both above the 20% threshold.
    texts = {
        index: article(story, appeal=index % 5 < 2, footer=index % 10 < 3)
        for index, story in enumerate(stories)
    }
    settings = BoilerplateSettings(error=0.01)

    result = detect(texts.items(), settings)

    for index, text in texts.items():
        marked = _marked(text, result[index])
        expected = []
        if index % 5 < 2:
            expected.append("\n".join(APPEAL) + "\n" + APPEAL_GLUE)
        if index % 10 < 3:
            expected.append("\n".join(FOOTER))
        assert marked == expected, index
        _assert_body_untouched(text, stories[index], result[index])


def test_below_the_share_threshold_nothing_is_marked() -> None:
    rng = random.Random(3)
    stories = [random_story(rng, index) for index in range(50)]
    # 9 of 50 documents (18%) carry the footer: under the 20% default.
    texts = {i: article(s, appeal=False, footer=i < 9) for i, s in enumerate(stories)}
    assert not any(detect(texts.items()).values())
    lower = BoilerplateSettings(min_share=0.1)
    assert sum(bool(r) for r in detect(texts.items(), lower).values()) == 9


def test_learn_then_ranges_for_a_second_pass() -> None:
    texts = _texts(STORIES)
    model = learn(texts.values())
    new_article = article(STORIES[0]).replace(STORIES[0].headline, "A new headline")
    assert _marked(new_article, model.ranges(new_article)) == [
        "\n".join(APPEAL) + "\n" + APPEAL_GLUE,
        "\n".join(FOOTER),
    ]


def test_settings_refuse_an_error_too_large_for_the_share() -> None:
    with pytest.raises(ValueError, match="quarter of min_share"):
        BoilerplateSettings(min_share=0.0)
    assert BoilerplateSettings(min_share=0.0, error=0.0).threshold(1000) == 3


# The boundary as the module docstring defines it, scanned over a whole text at once: what the
# per-line scan, with its shortcuts, must agree with.
_REFERENCE_BOUNDARY = re.compile(
    rf"([.!?…]{boilerplate._ABBREVIATION}[\"'’”»)\]]*)"
    r"(?:[ \t\u00a0]+(?=[^\sa-z])|(?=[A-ZÀ-ÖØ-Þ\"'‘“«(\[]))"
)


def _reference_cuts(text: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """Each stripped non-blank line with its boundaries: (end of one sentence, start of the next),
    relative to it."""
    bounds = [(m.end(1), m.end()) for m in _REFERENCE_BOUNDARY.finditer(text)]
    result = []
    position = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            start = position + len(raw) - len(raw.lstrip())
            end = start + len(line)
            result.append((line, [(a - start, b - start) for a, b in bounds if start < a < end]))
        position += len(raw) + 1
    return result


def test_a_line_alone_has_the_boundaries_it_has_in_its_text() -> None:
    alphabet = [
        *"aabcdeABCMrSU.....!?…\"'’”»)][(‘“«   \t\u00a0\n\r1ÀÉéß\u2028x",
        *("Mr.", "U.S.", " A. ", "Abc.", "...", "\n  ", "  \n"),
    ]
    rng = random.Random(5)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30)))
        split, _mark = boilerplate._splitter(text)
        cuts = []
        for line in filter(None, map(str.strip, text.split("\n"))):
            offsets = list(accumulate(map(len, split(line))))
            cuts.append((line, list(zip(offsets[1::3], offsets[2::3], strict=True))))
        assert cuts == _reference_cuts(text), repr(text)


def test_a_text_longer_than_a_key_holds_lengths_of() -> None:
    # A paragraph of over 2**16 characters, of many sentences, and a shared notice as long:
    # lengths are looked up by their low bits and every line is scanned.
    rng = random.Random(11)
    notice = ("Legal notice: " + "all rights reserved. " * 3_500).rstrip()
    stories = [
        Story(
            s.headline,
            s.standfirst,
            (*s.paragraphs, " ".join(random_story(rng, i).paragraphs) * 80),
        )
        for i, s in enumerate(STORIES)
    ]
    texts = {index: text + notice for index, text in _texts(stories).items()}
    assert len(notice) > 2**16

    result = detect(texts.items())

    for index, text in texts.items():
        assert _marked(text, result[index]) == [
            "\n".join(APPEAL) + "\n" + APPEAL_GLUE,
            "\n".join([*FOOTER, notice]),
        ]


def test_many_frequent_lengths() -> None:
    # More frequent lengths than the character test takes: every line is scanned.
    related = [f"Related: story number {n} " + "x" * n for n in range(40)]
    texts = {
        index: text.replace(FOOTER[0], "\n".join(related) + "\n" + FOOTER[0])
        for index, text in _texts(STORIES).items()
    }
    model = learn(texts.values())
    assert model._glued.every

    result = detect(texts.items())

    for index, text in texts.items():
        assert _marked(text, result[index]) == [
            "\n".join(APPEAL) + "\n" + APPEAL_GLUE,
            "\n".join([*related, *FOOTER]),
        ]
        _assert_body_untouched(text, STORIES[index], result[index])
