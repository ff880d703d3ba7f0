"""Cohen's κ and Krippendorff's α (annotator/core/agreement.py) against independent, maintained
implementations: scikit-learn's ``cohen_kappa_score`` and the ``krippendorff`` package, on
generated data, with missing values, pooling over documents and single-category cases.

Where the oracles have no number (0/0: one category everywhere, nothing pairable) our figures
follow the definitions in the module's docstring instead, and these tests say which."""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Sequence

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from annotator.core.agreement import (
    AlphaTally,
    AnnotatorWork,
    ClaimMark,
    Mark,
    PairTally,
    alpha_nominal,
    claim_tally,
    claim_units,
    iob2,
    kappa_from_confusion,
    one_vs_rest,
    pair_tally,
)

TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"]
CLAIM_TYPES = ["quantity", "event", "quote"]


def sklearn_kappa(x: Sequence[str], y: Sequence[str]) -> float:
    with warnings.catch_warnings():
        # A single category on both sides: scikit-learn warns and returns nan (0/0).
        warnings.simplefilter("ignore")
        return float(cohen_kappa_score(x, y))


def krippendorff_alpha(matrix: Sequence[Sequence[object | None]]) -> float | None:
    """α of an annotators x units matrix (None = missing); None where the package refuses
    (no unit with two values, or one value in the whole domain)."""
    codes: dict[object, int] = {}
    data = np.array(
        [[np.nan if v is None else codes.setdefault(v, len(codes)) for v in row] for row in matrix],
        dtype=float,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # 0/0 when every pairable value is the same
            return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except ValueError:
        return None


def units_of(matrix: Sequence[Sequence[object | None]]) -> list[list[object]]:
    """The matrix's columns as our units: the values present, missing ones left out."""
    return [[v for v in column if v is not None] for column in zip(*matrix, strict=True)]


def pairable_values(units: Sequence[Sequence[object]]) -> list[object]:
    return [v for unit in units if len(unit) >= 2 for v in unit]


def check_alpha(ours: float | None, matrix: Sequence[Sequence[object | None]]) -> None:
    oracle = krippendorff_alpha(matrix)
    pairable = pairable_values(units_of(matrix))
    if not pairable:
        # Nothing pairable: the package refuses; ours is "no evidence".
        assert oracle is None
        assert ours is None
    elif len(set(pairable)) == 1:
        # Every pairable value the same: the package gives nan or refuses (one value in the
        # domain); ours is 1.0 by definition (no disagreement observed or expected).
        assert oracle is None or math.isnan(oracle)
        assert ours == 1.0
    else:
        assert oracle is not None
        assert ours == pytest.approx(oracle, abs=1e-9)


# -- Cohen's κ -------------------------------------------------------------------------------

tag_pairs = st.lists(st.tuples(st.sampled_from(TAGS), st.sampled_from(TAGS)), min_size=1)


@settings(max_examples=150, deadline=None)
@given(tag_pairs)
def test_kappa_matches_scikit_learn(pairs: list[tuple[str, str]]) -> None:
    x, y = [a for a, _ in pairs], [b for _, b in pairs]
    ours = kappa_from_confusion(Counter(pairs))
    if len(set(x) | set(y)) == 1:
        assert math.isnan(sklearn_kappa(x, y))
        assert ours == 1.0  # by definition: both used one and the same tag throughout
    else:
        assert ours == pytest.approx(sklearn_kappa(x, y), abs=1e-9)
    for label in ("PER", "ORG"):
        keep = {f"B-{label}", f"I-{label}"}
        x1 = [t if t in keep else "O" for t in x]
        y1 = [t if t in keep else "O" for t in y]
        ours = kappa_from_confusion(one_vs_rest(Counter(pairs), label))
        if len(set(x1) | set(y1)) == 1:
            assert ours == 1.0
        else:
            assert ours == pytest.approx(sklearn_kappa(x1, y1), abs=1e-9)


def test_kappa_edge_cases_against_scikit_learn() -> None:
    # One annotator used a single tag, the other did not: both say 0 (chance-level).
    x, y = ["O"] * 6, ["O", "B-PER", "O", "O", "B-PER", "O"]
    assert kappa_from_confusion(Counter(zip(x, y, strict=True))) == pytest.approx(
        sklearn_kappa(x, y)
    )
    assert sklearn_kappa(x, y) == 0.0
    # Perfect disagreement on two tags used equally often: -1 for both.
    x, y = ["O", "B-PER"] * 3, ["B-PER", "O"] * 3
    assert kappa_from_confusion(Counter(zip(x, y, strict=True))) == pytest.approx(-1.0)
    assert sklearn_kappa(x, y) == pytest.approx(-1.0)
    # A single tag everywhere: scikit-learn has no number, ours is 1.0.
    x = y = ["O"] * 4
    assert math.isnan(sklearn_kappa(x, y))
    assert kappa_from_confusion(Counter(zip(x, y, strict=True))) == 1.0


TOKENS = tuple((2 * i, 2 * i + 1) for i in range(12))


@st.composite
def entity_spans(draw: st.DrawFn) -> tuple[Mark, ...]:
    """Entity spans over TOKENS, overlapping ones included (iob2 resolves them)."""
    spans = draw(
        st.lists(
            st.tuples(st.integers(0, 11), st.integers(1, 4), st.sampled_from(["PER", "ORG"])),
            max_size=5,
        )
    )
    return tuple(Mark(2 * first, 2 * min(first + n, 12) - 1, label) for first, n, label in spans)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(entity_spans(), entity_spans()), min_size=1, max_size=4))
def test_pooled_token_kappa_matches_scikit_learn(documents: list[tuple]) -> None:
    # A pair's κ pools the tokens of all its documents: scikit-learn sees the concatenation.
    pooled = PairTally()
    x: list[str] = []
    y: list[str] = []
    for a, b in documents:
        pooled.merge(pair_tally(TOKENS, AnnotatorWork("a", a), AnnotatorWork("b", b)))
        x += iob2(TOKENS, a)
        y += iob2(TOKENS, b)
    if len(set(x) | set(y)) == 1:
        assert pooled.kappa() == 1.0
    else:
        assert pooled.kappa() == pytest.approx(sklearn_kappa(x, y), abs=1e-9)


# -- Krippendorff's α ------------------------------------------------------------------------


@st.composite
def reliability_matrices(draw: st.DrawFn, values: Sequence[object]) -> list[list[object | None]]:
    """Annotators x units, each cell a value or None (missing), missing about a third."""
    annotators = draw(st.integers(2, 4))
    units = draw(st.integers(1, 12))
    cell = st.one_of(st.none(), st.sampled_from(values), st.sampled_from(values))
    return [[draw(cell) for _ in range(units)] for _ in range(annotators)]


@settings(max_examples=300, deadline=None)
@given(reliability_matrices(CLAIM_TYPES))
def test_alpha_matches_krippendorff_with_missing_values(matrix: list[list[object | None]]) -> None:
    check_alpha(alpha_nominal(units_of(matrix)), matrix)


@settings(max_examples=150, deadline=None)
@given(reliability_matrices([True, False]))
def test_alpha_of_a_yes_no_attribute_matches_krippendorff(
    matrix: list[list[object | None]],
) -> None:
    check_alpha(alpha_nominal(units_of(matrix)), matrix)


@settings(max_examples=100, deadline=None)
@given(st.lists(reliability_matrices(CLAIM_TYPES), min_size=1, max_size=4))
def test_alpha_pooled_over_documents_matches_krippendorff(
    documents: list[list[list[object | None]]],
) -> None:
    # Units are pooled across documents: merging per-document tallies equals the package on
    # one matrix with every document's units side by side (padded to the same annotators).
    height = max(len(m) for m in documents)
    pooled = AlphaTally()
    wide: list[list[object | None]] = [[] for _ in range(height)]
    for matrix in documents:
        tally = AlphaTally()
        for unit in units_of(matrix):
            tally.add_unit(unit)
        pooled.merge(tally)
        for i in range(height):
            wide[i] += matrix[i] if i < len(matrix) else [None] * len(matrix[0])
    check_alpha(pooled.alpha(), wide)


def test_alpha_edge_cases_against_krippendorff() -> None:
    # Textbook-style data with missing values: both agree.
    matrix = [
        ["event", "event", None, "quote", "quantity"],
        ["event", "quote", "quote", "quote", None],
        [None, "event", "quote", "quote", "quantity"],
    ]
    oracle = krippendorff_alpha(matrix)
    assert oracle is not None
    assert alpha_nominal(units_of(matrix)) == pytest.approx(oracle)
    # One value in the whole domain: the package refuses, ours is 1.0.
    matrix = [["event", "event"], ["event", None]]
    assert krippendorff_alpha(matrix) is None
    assert alpha_nominal(units_of(matrix)) == 1.0
    # Several values, but the only pairable unit agrees: the package gives nan, ours 1.0.
    matrix = [["event", "quote", None], ["event", None, "quantity"]]
    oracle = krippendorff_alpha(matrix)
    assert oracle is not None and math.isnan(oracle)
    assert alpha_nominal(units_of(matrix)) == 1.0
    # No unit with two values: the package refuses, ours is None ("no evidence").
    matrix = [["event", None], [None, "quote"]]
    assert krippendorff_alpha(matrix) is None
    assert alpha_nominal(units_of(matrix)) is None


CLAIMS = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from(CLAIM_TYPES), st.booleans()),
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(CLAIMS, min_size=2, max_size=3))
def test_claim_unit_alpha_matches_krippendorff(raw: list[list[tuple]]) -> None:
    # The α the report shows for claim type and hedging, from the units claim_units builds:
    # each unit is a column, an annotator without a claim in it a missing value.
    work = tuple(
        AnnotatorWork(
            f"ann{i}", (), tuple(ClaimMark(s, s + n, "CLAIM", t, h) for s, n, t, h in claims)
        )
        for i, claims in enumerate(raw)
    )
    units = claim_units(work)
    tally = claim_tally(work)
    for attribute, got in (("claim_type", tally.claim_type), ("hedged", tally.hedged)):
        matrix = [
            [
                getattr(unit[w.annotator], attribute) if w.annotator in unit else None
                for unit in units
            ]
            for w in work
        ]
        if not units:
            assert got.alpha() is None
            continue
        check_alpha(got.alpha(), matrix)
