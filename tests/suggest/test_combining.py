"""One score per entity span from every suggester, thresholds from the model's held-out figures,
and one suggestion in front where suggestions overlap (annotator.suggest.combining)."""

from __future__ import annotations

from typing import Any

import pytest

from annotator.core.model import Document, Layer, Span, Suggestion
from annotator.core.progress import CancelToken
from annotator.core.schema import default_schema
from annotator.core.tokens import tokenize
from annotator.suggest.base import SuggestInput
from annotator.suggest.combining import (
    BEHIND,
    CALIBRATED,
    NEVER,
    SHAPED,
    THRESHOLD,
    CalibratedModel,
    combine,
    combined_score,
    is_behind,
    looks_like,
    model_calibration,
)
from annotator.suggest.evaluation import (
    ALL,
    COMBINED,
    GoldDocument,
    Scores,
    evaluate,
    format_report,
)
from tests.builders import suggestion

#: Held-out metrics as training stores them: PERSON predicted well, ORG often wrong, GPE never
#: predicted on held-out documents.
METRICS: dict[str, Any] = {
    "entities": {
        "precision": 0.7,
        "predicted": 20,
        "correct": 14,
        "per_label": {
            "PERSON": {"predicted": 10, "correct": 9, "precision": 0.9},
            "ORG": {"predicted": 10, "correct": 5, "precision": 0.5},
            "GPE": {"predicted": 0, "correct": 0, "precision": 0.0},
        },
    }
}


def model_says(start: int, end: int, label: str, metrics: dict[str, Any] = METRICS) -> Suggestion:
    calibration = model_calibration(metrics)
    return suggestion(
        1,
        start,
        end,
        label,
        suggester="model",
        score=0.5,
        reason="model trained on 20 documents",
        attributes=calibration.attributes(label),
    )


def test_calibration_smooths_each_label_towards_the_model_and_sets_thresholds() -> None:
    calibration = model_calibration(METRICS)
    # (correct + 4 * 0.7) / (predicted + 4)
    assert calibration.precision["PERSON"] == pytest.approx((9 + 2.8) / 14, abs=1e-4)
    assert calibration.precision["ORG"] == pytest.approx((5 + 2.8) / 14, abs=1e-4)
    assert calibration.precision["GPE"] == pytest.approx(0.7)  # nothing held out: the prior
    assert calibration.thresholds == {"PERSON": 0.75, "ORG": 0.75, "GPE": NEVER}
    assert calibration.attributes("LOC") == {CALIBRATED: 0.7, THRESHOLD: NEVER, SHAPED: True}
    # A label predicted fewer than MIN_RECORD times on held-out documents has no record.
    few = {"entities": {**METRICS["entities"], "per_label": {"PERSON": {"predicted": 9}}}}
    assert model_calibration(few).thresholds == {"PERSON": NEVER}
    assert model_calibration({}).thresholds == {}
    assert model_calibration({"entities": None}).precision == {}


def test_shapes_of_labels() -> None:
    assert looks_like("300 homes", "QUANTITY") and looks_like("a dozen boats", "QUANTITY")
    assert not looks_like("Velka", "QUANTITY")
    assert looks_like("last Monday", "DATE") and looks_like("in 2024", "DATE")
    assert not looks_like("Tarn", "DATE")
    assert looks_like("Ministry of Defence", "ORG") and not looks_like("Dorvik will", "GPE")
    assert looks_like("anything", "CHEMICAL")  # a project's own label is not checked


def test_agreement_raises_the_score_and_the_reason_names_who_agreed() -> None:
    alone = combine([suggestion(1, 0, 5, "PERSON", suggester="gazetteer", score=0.7)])
    assert alone[0].score == 0.7 and alone[0].reason == "gazetteer (0.70): test"
    both = combine(
        [
            suggestion(1, 0, 5, "PERSON", suggester="gazetteer", score=0.7, reason="confirmed"),
            model_says(0, 5, "PERSON"),
        ]
    )
    assert len(both) == 1
    expected = combined_score([0.7, model_calibration(METRICS).precision["PERSON"]])
    assert both[0].score == round(expected, 3) and both[0].score > 0.9
    assert both[0].reason.startswith(f"gazetteer + model ({expected:.2f}): gazetteer: confirmed;")
    # Credited to the project's evidence, whatever the order they came in.
    flipped = combine([model_says(0, 5, "PERSON"), suggestion(1, 0, 5, "PERSON", score=0.7)])
    assert flipped[0].suggester == "rules" and flipped[0].reason.startswith("model + rules")
    assert combined_score([1.0, 1.0]) < 1.0  # never certain


def test_a_lone_model_guess_is_shown_only_for_a_label_it_predicts_well() -> None:
    shown = combine([model_says(0, 5, "PERSON"), model_says(10, 15, "ORG")])
    assert [(s.label, s.suggester) for s in shown] == [("PERSON", "model")]
    # A rule agreeing with the model on ORG shows it, with a higher score than either.
    shown = combine([model_says(10, 15, "ORG"), suggestion(1, 10, 15, "ORG", score=0.6)])
    assert [s.label for s in shown] == ["ORG"] and shown[0].score > 0.8
    # A label with no held-out record, or a span not shaped like its label, needs agreement.
    assert combine([model_says(20, 25, "GPE")]) == []
    odd = model_says(0, 5, "PERSON")
    odd = Suggestion(**{**_fields(odd), "attributes": {**odd.attributes, SHAPED: False}})
    assert combine([odd]) == []
    # A model suggestion without calibration (cached before it, a plug-in's) is shown.
    bare = suggestion(1, 30, 35, "ORG", suggester="model", score=0.2)
    assert [s.label for s in combine([bare])] == ["ORG"]


def _fields(s: Suggestion) -> dict[str, Any]:
    return {name: getattr(s, name) for name in Suggestion.__dataclass_fields__}


def test_without_a_model_everything_is_shown_as_before() -> None:
    found = [
        suggestion(1, 0, 5, "PERSON", suggester="rules", score=0.3),
        suggestion(1, 10, 15, "ORG", suggester="gazetteer", score=0.4),
    ]
    assert [s.label for s in combine(found)] == ["PERSON", "ORG"]


def test_overlapping_suggestions_keep_the_worse_behind_the_better() -> None:
    found = [
        suggestion(1, 0, 19, "ORG", suggester="gazetteer", score=0.6),
        suggestion(1, 0, 19, "GPE", suggester="rules", score=0.5),
        suggestion(1, 0, 7, "NORP", suggester="gazetteer", score=0.9),  # a part of the name
        model_says(0, 25, "PERSON"),  # longer, but only the model's word
        suggestion(1, 30, 35, "DATE", suggester="rules", score=0.8),
    ]
    shown = {(s.start, s.end, s.label): s for s in combine(found)}
    assert [key for key, s in shown.items() if not is_behind(s)] == [
        (0, 19, "ORG"),
        (30, 35, "DATE"),
    ]
    # Same span: the better score in front; a part of it and a model guess: behind it.
    assert shown[0, 19, "GPE"].attributes[BEHIND] == [0, 19, "ORG"]
    assert shown[0, 7, "NORP"].attributes[BEHIND] == [0, 19, "ORG"]
    assert shown[0, 25, "PERSON"].attributes[BEHIND] == [0, 19, "ORG"]
    # Equal standing: the longer span goes in front, whatever the input order.
    tie = [suggestion(1, 9, 19, "LOC", score=0.8), suggestion(1, 0, 19, "ORG", score=0.8)]
    for order in (tie, tie[::-1]):
        front = [s for s in combine(order) if not is_behind(s)]
        assert [(s.start, s.label) for s in front] == [(0, "ORG")]


def test_another_label_on_a_confirmed_range_is_behind_it_and_claims_pass() -> None:
    confirmed = Span(7, 1, Layer.ENTITY, 0, 19, "ORG", "ana")
    found = [
        suggestion(1, 0, 19, "ORG", score=0.9),  # the confirmed span itself: not shown
        suggestion(1, 0, 19, "GPE", score=0.9),  # an alternative to it: behind it
        suggestion(1, 9, 19, "LOC", score=0.9),  # inside it: maybe a nested entity, shown
        suggestion(1, 0, 40, "CLAIM", layer=Layer.CLAIM, suggester="claims", score=0.7),
        suggestion(1, 0, 40, "CLAIM", layer=Layer.CLAIM, suggester="model", score=0.6),
    ]
    shown = combine(found, [confirmed], exclude={("entity", 30, 35, "DATE")})
    assert [(s.layer, s.label, is_behind(s)) for s in shown] == [
        (Layer.ENTITY, "GPE", True),
        (Layer.CLAIM, "CLAIM", False),
        (Layer.ENTITY, "LOC", False),
    ]
    assert shown[0].attributes[BEHIND] == [0, 19, "ORG"]
    claim = shown[1]
    assert claim.score == 0.7 and claim.reason == "claims: test; model: test"
    decided = combine([suggestion(1, 30, 35, "DATE")], exclude={("entity", 30, 35, "DATE")})
    assert decided == []


class _Loaded:
    def __init__(self, metrics: dict[str, Any]) -> None:
        self.metrics = metrics


class _PluginModel:
    """A suggester named "model" as a plug-in would make one: a ``model()`` with metrics."""

    name = "model"
    version = "3@x"

    def __init__(self, metrics: dict[str, Any] | None) -> None:
        self._metrics = metrics

    def model(self) -> _Loaded | None:
        return None if self._metrics is None else _Loaded(self._metrics)

    def suggest(self, item: SuggestInput, cancel: CancelToken | None = None) -> list[Suggestion]:
        return [
            suggestion(item.document.id, 0, 4, "PERSON", suggester="model", score=0.9),
            suggestion(item.document.id, 0, 9, "CLAIM", layer=Layer.CLAIM, suggester="model"),
        ]


def _item(text: str = "Ansa met Bo") -> SuggestInput:
    return SuggestInput(Document(1, None, "t", text), tokenize(text), default_schema())


def test_the_model_suggester_carries_its_calibration() -> None:
    wrapped = CalibratedModel(_PluginModel(METRICS))
    assert wrapped.name == "model" and wrapped.version == "3@x+c1"
    person, claim = wrapped.suggest(_item())
    assert person.attributes == model_calibration(METRICS).attributes("PERSON", True)
    assert claim.attributes == {}
    # No model loaded (untrained): passed through untouched.
    untrained = CalibratedModel(_PluginModel(None)).suggest(_item())
    assert all(s.attributes == {} for s in untrained)


def test_the_model_suggester_marks_a_span_not_shaped_like_its_label() -> None:
    person = CalibratedModel(_PluginModel(METRICS)).suggest(_item("ansa met Bo"))[0]
    assert person.attributes[SHAPED] is False


class _Fixed:
    def __init__(self, name: str, found: list[Suggestion]) -> None:
        self.name, self.version, self.found = name, "1", found

    def suggest(self, item: SuggestInput, cancel: CancelToken | None = None) -> list[Suggestion]:
        return list(self.found)


def test_evaluation_scores_the_combination_next_to_the_union() -> None:
    text = "Ansa Berg visited Varnia on Monday."
    gold = GoldDocument("g1", text, entities=((0, 9, "PERSON"), (18, 24, "GPE")))
    rules = _Fixed("rules", [suggestion(1, 0, 9, "PERSON", score=0.8)])
    model = _Fixed(
        "model",
        [
            model_says(0, 9, "ORG"),  # overlaps the rule's PERSON: behind it, not counted
            model_says(18, 24, "GPE"),  # right, but GPE has no held-out record: not shown
            model_says(28, 34, "PERSON"),  # PERSON is trusted alone: shown (and wrong)
        ],
    )
    report = evaluate([gold], [rules, model], default_schema())
    assert report.suggester(ALL).entities == Scores(2, 2, 0)
    assert report.suggester(COMBINED).entities == Scores(1, 1, 1)
    assert report.to_dict()["combined"]["entities"]["suggested"] == 2
    assert "combined" in format_report(report)
