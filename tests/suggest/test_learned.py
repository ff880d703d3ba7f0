"""The learned model: tokens to spaCy docs, training from blank, suggesting (Qt-free, offline)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from typing import Any

import pytest

from annotator.core.model import Document, Layer
from annotator.core.schema import default_schema
from annotator.core.tokens import get_nlp, tokenize
from annotator.suggest.base import SuggestInput
from annotator.suggest.learned import (
    CLAIM,
    LearnedModel,
    LearnedSuggester,
    ModelInfo,
    chunks,
    claim_attributes,
    make_doc,
)
from annotator.suggest.training import (
    TrainedModel,
    TrainingConfig,
    TrainingDocument,
    TrainingError,
    score_spans,
    split_keys,
    train_model,
)

APPEAL = "Support the Harbour Bulletin today."
#: Small and repetitive on purpose: the model must see each name a few times to learn it.
BODIES = [
    ("Monday", "12 ships", "Tomas Reed"),
    ("Tuesday", "8 ferries", "Ada Lind"),
    ("Wednesday", "15 trawlers", "Tomas Reed"),
    ("Thursday", "4 tankers", "Ada Lind"),
    ("Friday", "9 barges", "Tomas Reed"),
    ("Saturday", "6 yachts", "Ada Lind"),
]
FAST = TrainingConfig(max_epochs=14, min_epochs=8, patience=3, seed=1)


def _at(text: str, piece: str, after: int = 0) -> tuple[int, int]:
    start = text.index(piece, after)
    return start, start + len(piece)


def _add(entities: list[dict[str, Any]], text: str, piece: str, label: str, after: int) -> str:
    start, end = _at(text, piece, after)
    ref = f"T{len(entities) + 1}"
    entities.append({"id": ref, "start": start, "end": end, "label": label, "text": piece})
    return ref


def tiny_corpus() -> list[dict[str, Any]]:
    """Six short articles in the shape of scraped news (headline, an appeal glued to the body,
    a footer), as native JSONL records with entities, claims (claimant and cue), ignored
    ranges and status done."""
    records = []
    for number, (day, count, person) in enumerate(BODIES, start=1):
        text = (
            f"Port of Brackwater reopens after storm\n"
            f"{APPEAL}Mayor Lena Hart visited Brackwater on {day}.\n"
            f"The Port Authority said {count} were waiting outside Brackwater.\n"
            f"Harbour master {person} told reporters the channel was clear.\n"
            "Comments"
        )
        entities: list[dict[str, Any]] = []

        def add(piece: str, label: str, after: int = 0) -> str:
            return _add(entities, text, piece, label, after)  # noqa: B023 - used at once

        body = text.index("Mayor")
        add("Brackwater", "GPE")
        add("Lena Hart", "PERSON")
        add("Brackwater", "GPE", body)
        add(day, "DATE")
        authority = add("Port Authority", "ORG")
        add(count, "QUANTITY")
        add("Brackwater", "GPE", text.index("outside"))
        master = add(person, "PERSON")
        if number == 1:
            # Overlapping confirmed entities: the longest is kept, the other counted.
            add("Port of Brackwater", "FAC")
        claim = _at(text, f"{count} were waiting outside Brackwater")
        claim2 = _at(text, "the channel was clear")
        cue, cue2 = _at(text, "said"), _at(text, "told")
        appeal = _at(text, APPEAL)
        footer = _at(text, "Comments")
        records.append(
            {
                "id": f"tiny-{number}",
                "title": text.split("\n", 1)[0],
                "text": text,
                "source": "Harbour Bulletin",
                "offsets": "codepoint",
                "annotator": "ana",
                "entities": entities,
                "claims": [
                    {
                        "id": "C1",
                        "start": claim[0],
                        "end": claim[1],
                        "claimant": authority,
                        "cue": {"start": cue[0], "end": cue[1]},
                        "type": "quantity",
                        "hedged": False,
                    },
                    {
                        "id": "C2",
                        "start": claim2[0],
                        "end": claim2[1],
                        "claimant": master,
                        "cue": {"start": cue2[0], "end": cue2[1]},
                        "type": "event",
                        "hedged": False,
                    },
                ],
                "ignored": [
                    {"start": appeal[0], "end": appeal[1], "reason": "boilerplate"},
                    {"start": footer[0], "end": footer[1], "reason": "boilerplate"},
                ],
                "status": "done",
            }
        )
    return records


def training_documents(records: list[dict[str, Any]]) -> list[TrainingDocument]:
    return [
        TrainingDocument(
            key=r["id"],
            text=r["text"],
            entities=tuple((e["start"], e["end"], e["label"]) for e in r["entities"]),
            claims=tuple((c["start"], c["end"]) for c in r["claims"]),
            cues=tuple((c["cue"]["start"], c["cue"]["end"]) for c in r["claims"]),
            ignored=tuple((i["start"], i["end"]) for i in r["ignored"]),
        )
        for r in records
    ]


NEW_TEXT = (
    "Brackwater harbour busy again\n"
    f"{APPEAL}Mayor Lena Hart returned to Brackwater on Sunday.\n"
    "The Port Authority said 7 ships were waiting outside Brackwater.\n"
    "Comments"
)


def _input(text: str = NEW_TEXT) -> SuggestInput:
    ignored = (_at(text, APPEAL), _at(text, "Comments"))
    document = Document(id=99, external_id="new", title=text.split("\n")[0], text=text)
    return SuggestInput(document, tokenize(text), default_schema(), ignored)


@pytest.fixture(scope="module")
def trained() -> TrainedModel:
    return train_model(training_documents(tiny_corpus()), FAST)


# -- tokens to spaCy docs ---------------------------------------------------------------------


def test_make_doc_reproduces_the_text_exactly() -> None:
    text = "Flags 🇺🇦 and  two spaces,\ta tab\u00a0nbsp; the ministry's figures.\nNext line"
    tokens = tokenize(text).tokens
    doc = make_doc(get_nlp().vocab, text, tokens, 0, len(tokens))
    assert doc.text == text[tokens[0].start : tokens[-1].end]
    # Every one of our tokens is a spaCy token at the same offset.
    starts = {t.idx: t.text for t in doc}
    for token in tokens:
        assert starts[token.start] == token.text


def test_chunks_are_lines_without_boilerplate() -> None:
    text = "Headline here\nGive today.Body starts here.\nSecond line.\nComments"
    tokens = tokenize(text).tokens
    ignored = [_at(text, "Give today."), _at(text, "Comments")]
    pieces = [text[tokens[a].start : tokens[b - 1].end] for a, b in chunks(text, tokens, ignored)]
    assert pieces == ["Headline here", "Body starts here.", "Second line."]


# -- training ---------------------------------------------------------------------------------


def test_split_is_by_document_seeded_and_holds_one_out() -> None:
    keys = [f"d{i}" for i in range(10)] + ["d1", "d1"]
    train, held = split_keys(keys, 0.2, seed=3)
    assert (train, held) == split_keys(keys, 0.2, seed=3)
    assert len(held) == 2 and not set(train) & set(held)
    assert set(train) | set(held) == set(keys)
    assert split_keys(["a", "b"], 0.2, 0)[1] != []


def test_score_spans_counts_exact_matches_per_label() -> None:
    gold = [("a", 0, 5, "ORG"), ("a", 10, 12, "DATE")]
    predicted = [("a", 0, 5, "ORG"), ("a", 10, 13, "DATE"), ("b", 0, 5, "ORG")]
    scores = score_spans(gold, predicted)
    assert (scores["precision"], scores["recall"]) == (round(1 / 3, 4), 0.5)
    assert scores["per_label"]["ORG"]["correct"] == 1
    assert scores["per_label"]["DATE"]["f1"] == 0.0


def test_training_needs_two_documents() -> None:
    with pytest.raises(TrainingError, match="at least 2"):
        train_model(training_documents(tiny_corpus())[:1], FAST)


def test_training_reports_held_out_scores_and_dropped_overlaps(trained: TrainedModel) -> None:
    metrics = trained.metrics
    assert metrics["documents"] == {
        "total": 6,
        "train": 5,
        "held_out": 1,
        "held_out_keys": metrics["documents"]["held_out_keys"],
    }
    for layer in ("entities", "claims"):
        scores = metrics[layer]
        assert 0.0 <= scores["precision"] <= 1.0 and 0.0 <= scores["f1"] <= 1.0
        assert 1 <= scores["best_epoch"] <= scores["epochs"] <= FAST.max_epochs
    assert metrics["entities"]["f1"] > 0.5
    assert metrics["cues"] is not None
    # "Port of Brackwater" (FAC) overlapped "Brackwater" (GPE) and won.
    assert metrics["dropped"]["entities_overlapping"] == 1
    assert "FAC" in metrics["entities"]["labels"]


def test_trained_model_suggests_what_it_saw_in_a_new_document(trained: TrainedModel) -> None:
    suggester = LearnedSuggester.from_bundle(trained.data)
    item = _input()
    found = suggester.suggest(item)
    text = item.document.text
    entities = {(text[s.start : s.end], s.label) for s in found if s.layer is Layer.ENTITY}
    assert ("Brackwater", "GPE") in entities
    assert ("Lena Hart", "PERSON") in entities
    for s in found:
        assert s.suggester == "model" and s.document_id == 99
        assert 0.0 <= s.score <= 1.0
        assert s.reason.startswith("model trained on 6 documents (held-out F1 ")
        assert not item.is_ignored(s.start, s.end)
        assert item.tokens.is_token_aligned(s.start, s.end)
    claims = [s for s in found if s.layer is Layer.CLAIM]
    assert [text[s.start : s.end] for s in claims] == ["7 ships were waiting outside Brackwater"]
    attributes = claims[0].attributes
    assert text[slice(*attributes["cue"])] == "said"
    assert attributes["type"] == "quantity" and attributes["hedged"] is False
    claimant = attributes["claimant"]
    assert (text[claimant[0] : claimant[1]], claimant[2]) == ("Port Authority", "ORG")


def test_nothing_is_suggested_inside_ignored_ranges(trained: TrainedModel) -> None:
    text = f"{APPEAL}Brackwater\nLena Hart visited Brackwater on Monday."
    item = SuggestInput(
        Document(1, None, "t", text),
        tokenize(text),
        default_schema(),
        ((0, text.index("\n")),),  # the appeal and the name glued to it
    )
    found = LearnedSuggester.from_bundle(trained.data).suggest(item)
    assert found and all(s.start > text.index("\n") for s in found)


def test_loading_and_predicting_never_touch_the_network(
    trained: TrainedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("nothing may be downloaded or loaded by package name")

    import spacy

    monkeypatch.setattr(spacy, "load", refuse)
    monkeypatch.setattr(spacy.util, "load_model", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    model = LearnedModel.from_bytes(trained.data)
    item = _input()
    assert model.predict(item.document.text, item.tokens, item.ignored).entities


def test_a_model_trained_offline_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("nothing may be downloaded")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    config = TrainingConfig(max_epochs=2, min_epochs=1, patience=1, claims=False)
    model = train_model(training_documents(tiny_corpus())[:3], config)
    assert model.metrics["entities"] is not None and model.metrics["claims"] is None


# -- the suggester ----------------------------------------------------------------------------


class _Source:
    def __init__(self, data: bytes | None) -> None:
        self.data = data
        self.info: ModelInfo | None = None
        self.loads = 0
        if data is not None:
            self.publish(1)

    def publish(self, model_id: int) -> None:
        stamp = datetime(2026, 5, model_id, 12, 0, tzinfo=UTC)
        self.info = ModelInfo(model_id, stamp, 6, {})

    def latest(self) -> ModelInfo | None:
        return self.info

    def load(self, model_id: int) -> bytes:
        self.loads += 1
        assert self.data is not None
        return self.data


def test_without_a_model_it_suggests_nothing() -> None:
    suggester = LearnedSuggester(_Source(None))
    assert suggester.name == "model"
    assert suggester.version == "none"
    assert suggester.suggest(_input()) == []


def test_version_follows_the_latest_model_and_loads_it_once(trained: TrainedModel) -> None:
    source = _Source(trained.data)
    suggester = LearnedSuggester(source)
    assert suggester.version == "1@2026-05-01T12:00:00+00:00"
    assert source.loads == 0  # lazily: asking the version loads nothing
    suggester.suggest(_input())
    suggester.suggest(_input())
    assert source.loads == 1
    source.publish(2)
    assert suggester.version.startswith("2@")
    suggester.suggest(_input())
    assert source.loads == 2


def test_labels_outside_the_schema_are_not_suggested(trained: TrainedModel) -> None:
    from annotator.core.schema import EntityLabel, LabelSchema

    schema = LabelSchema("narrow", 1, (EntityLabel("PERSON", "#112233"),))
    item = _input()
    narrow = SuggestInput(item.document, item.tokens, schema, item.ignored)
    found = LearnedSuggester.from_bundle(trained.data).suggest(narrow)
    assert {s.label for s in found} <= {"PERSON", CLAIM}


def test_claim_attributes_find_cue_claimant_type_and_hedging() -> None:
    text = "Police said the suspect allegedly fled.\nAccording to the Coastguard 3 boats sank."
    first = _at(text, "the suspect allegedly fled")
    attributes = claim_attributes(
        text, first, [_at(text, "said"), _at(text, "According to")], [(0, 6, "ORG")]
    )
    assert attributes["cue"] == list(_at(text, "said"))
    assert attributes["claimant"] == [0, 6, "ORG"]
    assert attributes["hedged"] is True and attributes["type"] == "event"
    second = _at(text, "3 boats sank")
    coastguard = _at(text, "Coastguard")
    attributes = claim_attributes(
        text, second, [_at(text, "said"), _at(text, "According to")], [(*coastguard, "ORG")]
    )
    assert attributes["cue"] == list(_at(text, "According to"))
    assert attributes["claimant"] == [*coastguard, "ORG"]
    assert attributes["type"] == "quantity" and attributes["hedged"] is False


def test_a_claim_said_by_he_or_she_goes_to_the_last_person_named() -> None:
    text = 'Mayor Ada Lind visited Varnia.\n"The bridge is safe," she said.'
    ada, varnia = _at(text, "Ada Lind"), _at(text, "Varnia")
    attributes = claim_attributes(
        text,
        _at(text, "The bridge is safe"),
        [_at(text, "said")],
        [(*ada, "PERSON"), (*varnia, "GPE")],
    )
    assert attributes["claimant"] == [*ada, "PERSON"]
    assert attributes["type"] == "quote"
