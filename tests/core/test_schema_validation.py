"""The editor's schema rules: names, hotkeys (unique, not reserved), colour contrast in the
light and dark themes; every shipped template follows them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.core.errors import SchemaError
from annotator.core.schema import (
    HOTKEY_SEQUENCE,
    RESERVED_KEYS,
    TEMPLATES,
    EntityLabel,
    LabelSchema,
    color_problems,
    contrast,
    default_schema,
    next_free_hotkey,
    problems,
    relative_luminance,
    template_schema,
    validate,
)


def test_wcag_luminance_and_contrast_reference_values() -> None:
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert relative_luminance("#000000") == pytest.approx(0.0)
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the AA grey


@pytest.mark.parametrize("key", [t.key for t in TEMPLATES])
def test_every_template_passes(key: str) -> None:
    schema = template_schema(key)
    assert problems(schema) == []
    keys = [e.hotkey for e in schema.entities]
    assert keys == list(HOTKEY_SEQUENCE[: len(keys)])  # the default scheme, by position


def test_templates_have_the_expected_labels() -> None:
    assert template_schema("default") == default_schema()
    assert template_schema("conll2003").entity_names == ("PER", "ORG", "LOC", "MISC")
    assert set(template_schema("ontonotes").entity_names) == set(
        "PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW LANGUAGE DATE TIME "
        "PERCENT MONEY QUANTITY ORDINAL CARDINAL".split()
    )
    assert template_schema("empty").entity_names == ()
    assert all(e.description for e in template_schema("ontonotes").entities)
    with pytest.raises(SchemaError, match="unknown schema template 'bio'"):
        template_schema("bio")


@pytest.mark.parametrize(
    ("color", "why"),
    [
        ("#fff59d", "light theme"),  # pale yellow: invisible on white
        ("#ffe000", "light theme"),
        ("#202040", "dark theme"),  # navy: white text on it is fine, but it vanishes on dark
        ("#000000", "dark theme"),
        ("yellow", "not #rrggbb"),
    ],
)
def test_low_contrast_colours_are_refused(color: str, why: str) -> None:
    found = color_problems(color)
    assert found and any(why in p for p in found)


def test_mid_colours_pass() -> None:
    for color in ("#2c7ed0", "#d64040", "#298e29", "#d9534f"):
        assert color_problems(color) == []


def test_problems_name_the_label() -> None:
    base = default_schema()
    bad = replace(
        base,
        entities=(
            EntityLabel("PERSON", "#fff59d", "1"),
            EntityLabel("Work of art", "#2c7ed0", "2"),
            EntityLabel("ORG", "#2c7ed0", "s"),
            EntityLabel("GPE", "#2c7ed0", "F1"),
            EntityLabel("LOC", "#2c7ed0", "4", "two\nlines"),
        ),
    )
    found = problems(bad)
    assert any("'PERSON'" in p and "light theme" in p for p in found)
    assert any("'Work of art'" in p and "no spaces" in p for p in found)
    assert any("'ORG'" in p and "'S' is taken by the window" in p for p in found)
    assert any("'GPE'" in p and "one letter or digit" in p for p in found)
    assert any("'LOC'" in p and "one line" in p for p in found)
    with pytest.raises(SchemaError, match="PERSON"):
        validate(bad)


def test_duplicate_hotkeys_are_refused_whatever_the_case() -> None:
    with pytest.raises(SchemaError, match="hotkey 'A' is used by both 'X' and 'Y'"):
        LabelSchema("s", 1, (EntityLabel("X", "#2c7ed0", "a"), EntityLabel("Y", "#d64040", "A")))


def test_hotkey_sequence_avoids_reserved_keys() -> None:
    assert not set(HOTKEY_SEQUENCE) & RESERVED_KEYS
    assert len(set(HOTKEY_SEQUENCE)) == len(HOTKEY_SEQUENCE)
    assert next_free_hotkey({"1", "2"}) == "3"
    assert next_free_hotkey(set(HOTKEY_SEQUENCE)) is None


def test_claim_attributes_round_trip_and_unknown_refused() -> None:
    schema = replace(default_schema(), claim_attributes=("type", "claimant"))
    assert LabelSchema.from_json(schema.to_json()).claim_attributes == ("type", "claimant")
    with pytest.raises(SchemaError, match="unknown claim attribute"):
        replace(default_schema(), claim_attributes=("mood",))
