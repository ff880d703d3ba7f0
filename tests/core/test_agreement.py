"""Agreement figures against hand-computed cases (arithmetic in the comments) and against an
independent implementation written differently (brute force, confusion and coincidence
matrices), compared on random annotations with hypothesis."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import (
    AgreementAccumulator,
    AnnotatorWork,
    ClaimMark,
    DocumentInput,
    Mark,
    alpha_nominal,
    claim_tally,
    claim_units,
    compute,
    exact_matches,
    f1,
    iob2,
    kappa_from_confusion,
    one_vs_rest,
    overlap_matches,
    pair_tally,
)

# Token i covers characters 2i..2i+1 ("a b c d ..."): easy to place spans by token.
TOKENS = tuple((2 * i, 2 * i + 1) for i in range(10))


def tok(first: int, last: int, label: str) -> Mark:
    """A span covering tokens first..last (inclusive)."""
    return Mark(2 * first, 2 * last + 1, label)


def doc(document_id: int, *work: AnnotatorWork, tokens=TOKENS, title: str = "") -> DocumentInput:
    return DocumentInput(document_id, title or f"doc {document_id}", tokens, work)


# -- hand-computed cases --------------------------------------------------------------------


def test_span_f1_exact_and_overlap_by_hand() -> None:
    a = [Mark(0, 5, "PER"), Mark(10, 20, "ORG"), Mark(30, 35, "LOC")]
    b = [Mark(0, 5, "PER"), Mark(12, 20, "ORG"), Mark(40, 45, "LOC")]
    # Exact: only PER 0..5 is in both: F1 = 2·1 / (3 + 3) = 1/3.
    assert exact_matches(a, b) == 1
    # Overlap (same label): PER and ORG (10..20 and 12..20 share 12..20); the LOCs do not
    # touch: F1 = 2·2 / 6 = 2/3.
    assert overlap_matches(a, b) == 2
    tally = pair_tally((), AnnotatorWork("a", tuple(a)), AnnotatorWork("b", tuple(b)))
    assert tally.layer_f1("entity", exact=True) == pytest.approx(1 / 3)
    assert tally.layer_f1("entity", exact=False) == pytest.approx(2 / 3)
    # Per label: PER 2·1/2 = 1 both ways; ORG exact 0/2 = 0, overlap 2·1/2 = 1; LOC 0.
    assert tally.label_f1("entity", "PER", exact=True) == 1.0
    assert tally.label_f1("entity", "ORG", exact=True) == 0.0
    assert tally.label_f1("entity", "ORG", exact=False) == 1.0
    assert tally.label_f1("entity", "LOC", exact=False) == 0.0
    # A different label never matches, however well the offsets agree.
    assert overlap_matches([Mark(0, 5, "PER")], [Mark(0, 5, "ORG")]) == 0


def test_overlap_matching_is_optimal_not_greedy() -> None:
    # A1 0..10 overlaps B1 5..11 and B2 0..3; A2 10..12 overlaps only B1. Taking A1-B1 first
    # (a greedy choice by overlap size) leaves A2 unmatched: 1. The optimum pairs A1-B2 and
    # A2-B1: 2.
    a = [Mark(0, 10, "X"), Mark(10, 12, "X")]
    b = [Mark(5, 11, "X"), Mark(0, 3, "X")]
    assert overlap_matches(a, b) == 2
    # One-to-one: one long span against three short ones inside it matches once.
    assert overlap_matches([Mark(0, 30, "X")], [Mark(0, 5, "X"), Mark(10, 15, "X")]) == 1


def test_long_overlap_chain_needs_no_recursion() -> None:
    # a_i = 2i..2i+3 overlaps b_i = 2i+1..2i+4 and b_(i-1); with b in reverse order every
    # a first takes the last b, so augmenting paths grow as long as the chain (more than
    # Python's recursion limit). A perfect matching exists: a_i with b_i.
    n = 1500
    a = [Mark(2 * i, 2 * i + 3, "X") for i in range(n)]
    b = [Mark(2 * i + 1, 2 * i + 4, "X") for i in range(n)][::-1]
    assert overlap_matches(a, b) == n


def test_f1_edge_cases() -> None:
    assert f1(0, 0, 0) is None  # nothing on either side: no evidence
    assert f1(0, 3, 0) == 0.0  # one side marked, the other nothing
    assert f1(2, 2, 2) == 1.0


def test_token_kappa_by_hand() -> None:
    a = AnnotatorWork("a", (tok(0, 1, "PER"), tok(5, 5, "ORG")))
    b = AnnotatorWork("b", (tok(0, 1, "PER"), tok(5, 6, "ORG")))
    # A: B-PER I-PER O O O B-ORG O     O O O
    # B: B-PER I-PER O O O B-ORG I-ORG O O O
    assert iob2(TOKENS, a.entities) == ["B-PER", "I-PER", "O", "O", "O", "B-ORG"] + ["O"] * 4
    tally = pair_tally(TOKENS, a, b)
    # p_o = 9/10. Marginals A: B-PER 1, I-PER 1, B-ORG 1, O 7; B: B-PER 1, I-PER 1, B-ORG 1,
    # I-ORG 1, O 6. p_e = (1 + 1 + 1 + 0 + 7·6) / 100 = 0.45.
    # κ = (0.9 - 0.45) / (1 - 0.45) = 9/11.
    assert tally.kappa() == pytest.approx(9 / 11)
    # ORG one-vs-rest: A has B-ORG 1, O 9; B has B-ORG 1, I-ORG 1, O 8. p_o = 0.9,
    # p_e = (1·1 + 9·8) / 100 = 0.73, κ = 0.17 / 0.27 = 17/27.
    assert tally.kappa("ORG") == pytest.approx(17 / 27)
    # PER one-vs-rest: identical tags: κ = 1.
    assert tally.kappa("PER") == pytest.approx(1.0)


def test_kappa_when_expected_agreement_is_one() -> None:
    # Nobody marked anything: every tag is O on both sides, p_e = 1: defined as 1.
    assert kappa_from_confusion({("O", "O"): 10}) == 1.0
    # No tokens at all: no evidence.
    assert kappa_from_confusion({}) is None
    # Both tag everything as one entity: still p_e = 1 for a single category after
    # one-vs-rest of a label nobody used.
    assert kappa_from_confusion(one_vs_rest({("B-X", "B-X"): 3}, "Y")) == 1.0
    # Complete disagreement on two categories used equally: p_o = 0, p_e = 0.5, κ = -1.
    assert kappa_from_confusion({("O", "B-X"): 5, ("B-X", "O"): 5}) == pytest.approx(-1.0)


def test_iob2_overlapping_spans_first_and_longer_wins() -> None:
    # PER over tokens 0-1 and ORG over tokens 1-3: PER starts first and keeps token 1; ORG
    # tags the tokens left free, starting a new run with B-.
    tags = iob2(TOKENS, [tok(1, 3, "ORG"), tok(0, 1, "PER")])
    assert tags[:5] == ["B-PER", "I-PER", "B-ORG", "I-ORG", "O"]
    # A span inside an earlier one leaves no trace.
    assert iob2(TOKENS, [tok(0, 4, "A"), tok(1, 2, "B")])[:5] == ["B-A"] + ["I-A"] * 4
    assert iob2(TOKENS, [tok(0, 0, "A"), tok(2, 2, "A"), tok(0, 2, "B")])[:3] == [
        "B-B",
        "I-B",
        "I-B",
    ]
    # Same start: the longer span keeps the tokens.
    assert iob2(TOKENS, [tok(0, 0, "A"), tok(0, 2, "B")])[:3] == ["B-B", "I-B", "I-B"]
    # A span that starts in whitespace tags the tokens it touches: 1..4 touches only 2..3.
    assert iob2(TOKENS, [Mark(1, 4, "X")])[:3] == ["O", "B-X", "O"]
    assert iob2(TOKENS, [Mark(1, 5, "X")])[:3] == ["O", "B-X", "I-X"]


def _claims() -> tuple[AnnotatorWork, ...]:
    org = (0, 5, "ORG")
    a = (
        ClaimMark(0, 10, "CLAIM", "quantity", True, org),
        ClaimMark(20, 30, "CLAIM", "event", False, None),
        ClaimMark(40, 50, "CLAIM", "event", False, org),
        ClaimMark(60, 70, "CLAIM", "quote", False, None),
    )
    b = (
        ClaimMark(2, 10, "CLAIM", "quantity", True, org),
        ClaimMark(20, 28, "CLAIM", "quote", True, None),
        ClaimMark(41, 50, "CLAIM", "event", False, None),
    )
    c = (ClaimMark(45, 50, "CLAIM", "event", False, org),)
    return AnnotatorWork("a", (), a), AnnotatorWork("b", (), b), AnnotatorWork("c", (), c)


def test_claim_units_alpha_and_claimant_by_hand() -> None:
    work = _claims()
    units = claim_units(work)
    # u1 {a, b} 0..10; u2 {a, b} 20..30; u3 {a, b, c} 40..50; u4 {a} 60..70.
    assert [sorted(u) for u in units] == [["a", "b"], ["a", "b"], ["a", "b", "c"], ["a"]]
    tally = claim_tally(work)
    # Type: u1 (quantity, quantity), u2 (event, quote), u3 (event ×3); u4 alone is not
    # pairable. n = 7: quantity 2, event 4, quote 1.
    # D_o = (0 + 2/(2-1) + 0) / 7 = 2/7 (u2 has two ordered differing pairs).
    # D_e = (7² - (2² + 4² + 1²)) / (7·6) = 28/42 = 2/3.  α = 1 - (2/7)/(2/3) = 4/7.
    assert tally.claim_type.alpha() == pytest.approx(4 / 7)
    # Hedged: u1 (T, T), u2 (F, T), u3 (F, F, F): n = 7, True 3, False 4.
    # D_o = 2/7; D_e = (49 - 9 - 16) / 42 = 4/7; α = 1 - (2/7)/(4/7) = 1/2.
    assert tally.hedged.alpha() == pytest.approx(0.5)
    # Claimant pairs: u1 ORG=ORG agree; u2 unattributed=unattributed agree; u3 a-b no,
    # a-c yes, b-c no. 3 of 5 agree.
    assert tally.claimant_agreement() == pytest.approx(3 / 5)
    assert tally.units == 4


def test_alpha_edge_cases() -> None:
    assert alpha_nominal([]) is None
    assert alpha_nominal([["x"]]) is None  # one value: nothing pairable
    assert alpha_nominal([["x", "x"], ["x", "x", "x"]]) == 1.0  # one value used: agreement
    # Two units, each split: D_o = (2 + 2)/4 = 1, D_e = (16 - 8)/12 = 2/3, α = 1 - 3/2.
    assert alpha_nominal([["x", "y"], ["y", "x"]]) == pytest.approx(-0.5)


def test_report_pools_pairs_and_sorts_hardest_first() -> None:
    same = (tok(0, 1, "PER"),)
    easy = doc(
        1,
        AnnotatorWork("ann", same),
        AnnotatorWork("bob", same),
        AnnotatorWork("cy", same),
    )
    hard = doc(
        2,
        AnnotatorWork("ann", (tok(0, 1, "PER"),)),
        AnnotatorWork("bob", (tok(0, 2, "PER"),)),
    )
    empty = doc(3, AnnotatorWork("ann"), AnnotatorWork("cy"), tokens=())
    alone = doc(4, AnnotatorWork("ann", same))
    report = compute([easy, hard, empty, alone])
    assert report.overall.documents == 3  # the document with one annotator does not count
    assert report.overall.annotators == ("ann", "bob", "cy")
    # Pairs: ann/bob over docs 1-2: exact 2·1/(2+2) = 1/2; ann/cy over 1 and 3: 1;
    # bob/cy over 1: 1. Mean = (1/2 + 1 + 1)/3 = 5/6.
    assert report.overall.entities.exact == pytest.approx(5 / 6)
    assert report.overall.entities.overlap == pytest.approx(1.0)
    assert report.overall.claims.exact is None  # no claims anywhere
    assert report.overall.claim_type_alpha is None
    assert [row.document_id for row in report.documents] == [2, 1, 3]
    by_id = {row.document_id: row for row in report.documents}
    assert by_id[2].agreement == 0.0 and by_id[2].entities.overlap == 1.0
    # The empty document: nothing to disagree about, no tokens for κ.
    assert by_id[3].agreement == 1.0 and by_id[3].kappa is None
    assert by_id[3].entities.exact is None
    labels = {(row.layer, row.label): row for row in report.labels}
    assert set(labels) == {("entity", "PER")}
    # PER spans: ann/bob 1+1 + 1+1, ann/cy 1+1, bob/cy 1+1 = 8.
    assert labels[("entity", "PER")].spans == 8
    assert [(p.left, p.right, p.documents) for p in report.pairs] == [
        ("ann", "bob", 2),
        ("ann", "cy", 2),
        ("bob", "cy", 1),
    ]


def test_no_pairs_gives_no_figures() -> None:
    report = compute([doc(1, AnnotatorWork("solo", (tok(0, 0, "X"),)))])
    o = report.overall
    assert (o.documents, o.pairs) == (0, 0)
    assert o.entities.exact is None and o.kappa is None and o.claimant is None
    assert report.labels == () and report.documents == ()
    assert report.to_dict()["overall"]["token_kappa"] is None


def test_all_agree_single_label() -> None:
    marks = (tok(0, 1, "ONLY"), tok(4, 4, "ONLY"))
    claims = (ClaimMark(0, 9, "CLAIM", "other", False, (0, 3, "ONLY")),)
    report = compute([doc(1, AnnotatorWork("a", marks, claims), AnnotatorWork("b", marks, claims))])
    o = report.overall
    assert o.entities.exact == o.entities.overlap == o.kappa == 1.0
    assert o.claims.exact == 1.0
    # One claim type, one hedged value: expected disagreement 0, α defined as 1.
    assert o.claim_type_alpha == o.hedged_alpha == o.claimant == 1.0
    assert [row.kappa for row in report.labels if row.layer == "entity"] == [1.0]


def test_to_dict_carries_every_figure() -> None:
    report = compute([doc(1, *_claims())])
    data = report.to_dict()
    assert data["overall"]["claim_type_alpha"] == pytest.approx(4 / 7)
    assert data["overall"]["claimant_agreement"] == pytest.approx(3 / 5)
    assert data["documents"][0]["hedged_alpha"] == pytest.approx(0.5)
    assert data["labels"][0]["layer"] == "claim"


# -- an independent implementation ----------------------------------------------------------


def brute_exact_f1(a: set[Mark], b: set[Mark]) -> float | None:
    if not a and not b:
        return None
    return 2 * len(a & b) / (len(a) + len(b))


def brute_max_matching(a: Sequence[Mark], b: Sequence[Mark]) -> int:
    """Try every injective assignment of a's spans to b's spans or to nothing."""
    best = 0
    options = [None, *range(len(b))]
    for choice in itertools.product(options, repeat=len(a)):
        used = [j for j in choice if j is not None]
        if len(used) != len(set(used)):
            continue
        ok = all(
            j is None
            or (a[i].label == b[j].label and a[i].start < b[j].end and b[j].start < a[i].end)
            for i, j in enumerate(choice)
        )
        if ok:
            best = max(best, len(used))
    return best


def independent_tags(tokens: Sequence[tuple[int, int]], spans: Sequence[Mark]) -> list[str]:
    """IOB2 for non-overlapping spans, token by token."""
    tags = []
    for start, end in tokens:
        tag = "O"
        for span in spans:
            if start < span.end and span.start < end:
                first = min(i for i, (s, e) in enumerate(tokens) if s < span.end and span.start < e)
                tag = ("B-" if tokens[first] == (start, end) else "I-") + span.label
        tags.append(tag)
    return tags


def matrix_kappa(x: Sequence[str], y: Sequence[str]) -> float | None:
    """Cohen's κ from a full square confusion matrix over every category seen."""
    if not x:
        return None
    cats = sorted(set(x) | set(y))
    index = {c: i for i, c in enumerate(cats)}
    m = [[Fraction(0)] * len(cats) for _ in cats]
    for p, q in zip(x, y, strict=True):
        m[index[p]][index[q]] += 1
    n = Fraction(len(x))
    po = sum(m[i][i] for i in range(len(cats))) / n
    pe = sum(sum(m[i]) * sum(row[i] for row in m) for i in range(len(cats))) / (n * n)
    if pe == 1:
        return 1.0
    return float((po - pe) / (1 - pe))


def coincidence_alpha(units: Sequence[Sequence[object]]) -> float | None:
    """Krippendorff's α (nominal) from the coincidence matrix o_ck."""
    values = sorted({repr(v) for u in units for v in u})
    o = {(c, k): Fraction(0) for c in values for k in values}
    for unit in units:
        m = len(unit)
        if m < 2:
            continue
        for i, j in itertools.permutations(range(m), 2):
            o[(repr(unit[i]), repr(unit[j]))] += Fraction(1, m - 1)
    n_c = {c: sum(o[(c, k)] for k in values) for c in values}
    n = sum(n_c.values())
    if n < 2:
        return None
    d_o = sum(o[(c, k)] for c in values for k in values if c != k) / n
    d_e = sum(n_c[c] * n_c[k] for c in values for k in values if c != k) / (n * (n - 1))
    if d_e == 0:
        return 1.0
    return float(1 - d_o / d_e)


LABELS = st.sampled_from(["PER", "ORG"])


@st.composite
def span_sets(draw: st.DrawFn, size: int = 5) -> set[Mark]:
    spans = draw(
        st.lists(
            st.tuples(st.integers(0, 18), st.integers(1, 6), LABELS), min_size=0, max_size=size
        )
    )
    return {Mark(s, s + length, label) for s, length, label in spans}


@st.composite
def token_spans(draw: st.DrawFn) -> tuple[Mark, ...]:
    """Non-overlapping spans over TOKENS, each covering whole tokens."""
    cuts = sorted(draw(st.sets(st.integers(0, 10), max_size=8)))
    spans = []
    for first, stop in itertools.pairwise(cuts):
        if draw(st.booleans()):
            spans.append(tok(first, stop - 1, draw(LABELS)))
    return tuple(spans)


@settings(max_examples=200, deadline=None)
@given(span_sets(), span_sets())
def test_span_f1_matches_brute_force(a: set[Mark], b: set[Mark]) -> None:
    tally = pair_tally(
        (), AnnotatorWork("a", tuple(sorted(a, key=repr))), AnnotatorWork("b", tuple(b))
    )
    assert tally.layer_f1("entity", exact=True) == brute_exact_f1(a, b)
    expected = brute_max_matching(list(a), list(b))
    assert overlap_matches(list(a), list(b)) == expected
    overlap = tally.layer_f1("entity", exact=False)
    assert overlap == (None if not a and not b else 2 * expected / (len(a) + len(b)))


@settings(max_examples=200, deadline=None)
@given(token_spans(), token_spans())
def test_kappa_matches_confusion_matrix(a: tuple[Mark, ...], b: tuple[Mark, ...]) -> None:
    x, y = independent_tags(TOKENS, a), independent_tags(TOKENS, b)
    assert iob2(TOKENS, a) == x and iob2(TOKENS, b) == y
    tally = pair_tally(TOKENS, AnnotatorWork("a", a), AnnotatorWork("b", b))
    assert tally.kappa() == pytest.approx(matrix_kappa(x, y))
    for label in ("PER", "ORG"):

        def keep(tags: list[str], label: str = label) -> list[str]:
            return [t if t.endswith("-" + label) else "O" for t in tags]

        assert tally.kappa(label) == pytest.approx(matrix_kappa(keep(x), keep(y)))


UNIT = st.lists(st.sampled_from(["quantity", "event", "quote"]), min_size=0, max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.lists(UNIT, max_size=8))
def test_alpha_matches_coincidence_matrix(units: list[list[str]]) -> None:
    expected = coincidence_alpha(units)
    got = alpha_nominal(units)
    assert (got is None) == (expected is None)
    if got is not None:
        assert got == pytest.approx(expected)


CLAIM_SPANS = st.lists(
    st.tuples(
        st.integers(0, 40),
        st.integers(1, 8),
        st.sampled_from(["quantity", "event"]),
        st.booleans(),
        st.sampled_from([None, (0, 3, "ORG"), (5, 9, "PER")]),
    ),
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(CLAIM_SPANS, min_size=2, max_size=3))
def test_claim_figures_match_independent_pooling(raw: list[list[tuple]]) -> None:
    work = tuple(
        AnnotatorWork(
            f"ann{i}",
            (),
            tuple(ClaimMark(s, s + n, "CLAIM", t, h, c) for s, n, t, h, c in claims),
        )
        for i, claims in enumerate(raw)
    )
    units = claim_units(work)
    # Every claim lands in exactly one unit, at most once per annotator per unit.
    assert sum(len(u) for u in units) == sum(len(w.claims) for w in work)
    for unit in units:
        first = next(iter(unit.values()))
        assert all(c.start < first.end and first.start < c.end for c in unit.values())
    tally = claim_tally(work)
    for attribute, got in (("claim_type", tally.claim_type), ("hedged", tally.hedged)):
        expected = coincidence_alpha([[getattr(c, attribute) for c in u.values()] for u in units])
        assert (got.alpha() is None) == (expected is None)
        if expected is not None:
            assert got.alpha() == pytest.approx(expected)
    pairs = Counter(
        (a.claimant or "unattributed") == (b.claimant or "unattributed")
        for u in units
        for a, b in itertools.combinations(u.values(), 2)
    )
    total = pairs[True] + pairs[False]
    assert tally.claimant_agreement() == (None if total == 0 else pairs[True] / total)


def test_accumulator_equals_one_pass_over_all_documents() -> None:
    documents = [
        doc(1, AnnotatorWork("a", (tok(0, 1, "PER"),)), AnnotatorWork("b", (tok(0, 2, "PER"),))),
        doc(2, *_claims()),
    ]
    accumulator = AgreementAccumulator()
    for document in reversed(documents):
        accumulator.add(document)
    assert accumulator.report() == compute(documents)
