"""Number slots of quantity claims: figures as plain decimals, the inspector's line format,
and the attribute list checked when read back."""

from __future__ import annotations

import pytest

from annotator.core.quantities import (
    Quantity,
    QuantityError,
    figure_of,
    from_attributes,
    parse_line,
    shown_line,
    to_attributes,
)


@pytest.mark.parametrize(
    ("written", "figure"),
    [
        ("33", "33"),
        ("1,200", "1200"),
        ("1.5 million", "1500000"),
        ("1.4bn", "1400000000"),
        ("4.2m", "4200000"),
        ("6.1", "6.1"),
        ("2.40", "2.4"),
        ("two", "2"),
        ("dozen", "12"),
        ("5 m", None),  # five metres: a unit after a space is not a scale
        ("many", None),
        ("$", None),
    ],
)
def test_figures_are_plain_decimals(written: str, figure: str | None) -> None:
    assert figure_of(written) == figure


def test_the_line_format_round_trips() -> None:
    quantities = (
        Quantity("33", "", "air strikes"),
        Quantity("40", "%", "Merren province"),
        Quantity("8", "km", ""),
    )
    line = shown_line(quantities)
    assert line == "33 | air strikes; 40 % | Merren province; 8 km"
    assert parse_line(line) == quantities
    assert parse_line("1.5 million | customers") == (Quantity("1500000", "", "customers"),)
    assert parse_line("  ") == ()


def test_a_line_that_is_not_a_figure_names_the_entry() -> None:
    with pytest.raises(QuantityError, match="quantity 2: “many” is not a number"):
        parse_line("33 | strikes; many | targets")


def test_attributes_keep_the_agreed_shape() -> None:
    attributes = to_attributes({"note": "x"}, [Quantity("49", "", "Isis targets")])
    assert attributes == {
        "note": "x",
        "quantities": [{"figure": "49", "unit": "", "counted": "Isis targets"}],
    }
    assert from_attributes(attributes) == (Quantity("49", "", "Isis targets"),)
    assert to_attributes(attributes, []) == {"note": "x"}
    with pytest.raises(QuantityError, match=r"quantities\[1\]\.figure must be a plain decimal"):
        from_attributes({"quantities": [{"figure": "1.5 million", "unit": "", "counted": ""}]})
    with pytest.raises(QuantityError, match="quantities must be a list"):
        from_attributes({"quantities": "33"})


def test_accepting_a_claim_suggestion_carries_its_slots_into_the_span() -> None:
    from annotator.core.commands import AddSpan, accept_suggestion
    from annotator.core.model import Layer, Suggestion

    slots = [{"figure": "33", "unit": "", "counted": "air strikes"}]
    proposal = Suggestion(
        None,
        1,
        Layer.CLAIM,
        0,
        20,
        "CLAIM",
        "claims",
        0.8,
        "r",
        {"cue": None, "type": "quantity", "hedged": False, "claimant": None, "quantities": slots},
    )
    add = accept_suggestion(proposal, "ana").commands[0]
    assert isinstance(add, AddSpan)
    assert add.span.attributes == {"quantities": slots}
    # A malformed list (a plug-in's) does not stop the accept; it is left behind.
    broken = Suggestion(
        None, 1, Layer.CLAIM, 0, 20, "CLAIM", "x", 0.8, "r", {"quantities": [{"figure": "lots"}]}
    )
    add = accept_suggestion(broken, "ana").commands[0]
    assert isinstance(add, AddSpan) and add.span.attributes == {}
