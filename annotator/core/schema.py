"""The label schema: which entity labels exist, their colours and hotkeys, and claim types.

Two levels of checking. Constructing a :class:`LabelSchema` checks structure only (names,
``#rrggbb`` colours, no hotkey twice), so a project whose stored schema predates a rule still
opens. :func:`problems` / :func:`validate` apply the editor's rules on top: label names usable
in every export format, hotkeys that are one letter or digit and not one the window reserves,
and colours readable in the light and the dark theme (see :func:`color_problems`). The schema
editor refuses to save, and the shipped templates are tested to have, none of those problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from annotator.core.errors import SchemaError

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")

#: The claim attributes a schema can switch on or off.
CLAIM_ATTRIBUTES: tuple[str, ...] = ("type", "hedged", "claimant", "cue")


@dataclass(frozen=True, slots=True)
class EntityLabel:
    name: str
    color: str
    hotkey: str | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class LabelSchema:
    name: str
    version: int
    entities: tuple[EntityLabel, ...]
    claim_label: str = "CLAIM"
    claim_color: str = "#d9534f"
    claim_hotkey: str | None = "c"
    claim_types: tuple[str, ...] = ("quantity", "event", "quote", "causal", "prediction", "other")
    overlapping_entities: bool = False
    #: Which claim attributes the project records (a subset of :data:`CLAIM_ATTRIBUTES`).
    claim_attributes: tuple[str, ...] = ("type", "hedged", "claimant", "cue")

    def __post_init__(self) -> None:
        names: set[str] = set()
        keys: dict[str, str] = {}
        for label in self.entities:
            if not label.name or label.name != label.name.strip():
                raise SchemaError(f"label name {label.name!r} is empty or padded with spaces")
            if label.name in names or label.name == self.claim_label:
                raise SchemaError(f"label {label.name!r} is defined twice")
            names.add(label.name)
            if not _COLOR.match(label.color):
                raise SchemaError(f"label {label.name!r}: colour {label.color!r} is not #rrggbb")
            if label.hotkey is not None:
                key = label.hotkey.lower()
                if key in keys:
                    raise SchemaError(
                        f"hotkey {label.hotkey!r} is used by both {keys[key]!r} and {label.name!r}"
                    )
                keys[key] = label.name
        if self.claim_hotkey is not None and self.claim_hotkey.lower() in keys:
            raise SchemaError(
                f"hotkey {self.claim_hotkey!r} is used by both the claim layer and "
                f"{keys[self.claim_hotkey.lower()]!r}"
            )
        if not self.claim_types:
            raise SchemaError("a schema needs at least one claim type")
        if len(set(self.claim_types)) != len(self.claim_types):
            raise SchemaError("a claim type is listed twice")
        unknown = set(self.claim_attributes) - set(CLAIM_ATTRIBUTES)
        if unknown:
            raise SchemaError(f"unknown claim attribute(s): {', '.join(sorted(unknown))}")

    @property
    def entity_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.entities)

    def entity(self, name: str) -> EntityLabel:
        for label in self.entities:
            if label.name == name:
                return label
        raise SchemaError(f"unknown entity label {name!r}")

    def has_entity(self, name: str) -> bool:
        return any(label.name == name for label in self.entities)

    def by_hotkey(self, key: str) -> EntityLabel | None:
        for label in self.entities:
            if label.hotkey is not None and label.hotkey.lower() == key.lower():
                return label
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "entities": [
                {
                    "name": label.name,
                    "color": label.color,
                    "hotkey": label.hotkey,
                    "description": label.description,
                }
                for label in self.entities
            ],
            "claim": {
                "label": self.claim_label,
                "color": self.claim_color,
                "hotkey": self.claim_hotkey,
                "types": list(self.claim_types),
                "attributes": list(self.claim_attributes),
            },
            "overlapping_entities": self.overlapping_entities,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LabelSchema:
        try:
            entities = tuple(
                EntityLabel(
                    name=str(item["name"]),
                    color=str(item.get("color", "#999999")),
                    hotkey=item.get("hotkey"),
                    description=str(item.get("description", "")),
                )
                for item in data["entities"]
            )
            claim = data.get("claim", {})
            return cls(
                name=str(data.get("name", "schema")),
                version=int(data.get("version", 1)),
                entities=entities,
                claim_label=str(claim.get("label", "CLAIM")),
                claim_color=str(claim.get("color", "#d9534f")),
                claim_hotkey=claim.get("hotkey", "c"),
                claim_types=tuple(claim.get("types", cls.claim_types)),
                claim_attributes=tuple(claim.get("attributes", CLAIM_ATTRIBUTES)),
                overlapping_entities=bool(data.get("overlapping_entities", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise SchemaError(f"label schema is malformed: {exc!r}") from exc

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict())

    @classmethod
    def from_json(cls, data: bytes | str) -> LabelSchema:
        try:
            parsed = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise SchemaError(f"label schema is not JSON: {exc}") from exc
        if not isinstance(parsed, dict):
            raise SchemaError("label schema must be a JSON object")
        return cls.from_dict(parsed)


def default_schema() -> LabelSchema:
    """The news entities + claims schema shipped in ``resources/schema/default.json``."""
    from annotator.core.resources import read_text

    return LabelSchema.from_json(read_text("schema", "default.json"))


# -- the editor's rules --------------------------------------------------------------------

#: Keys the window binds on their own (main_window.py): a label may not take them. Only single
#: letters and digits can be label hotkeys, so Tab, Enter, Delete, Escape and Ctrl+... never
#: collide. The claim layer's own key (C) is in the list: it is taken by "Make claim".
RESERVED_KEYS: frozenset[str] = frozenset("clutxhs")
#: The order in which labels get hotkeys by position: 1-9, 0, then the unreserved letters.
HOTKEY_SEQUENCE: tuple[str, ...] = (
    *"1234567890",
    *(k for k in "abdefgijkmnopqrvwyz" if k not in RESERVED_KEYS),
)
#: Label names: a letter, then letters, digits, "_" or "-". No spaces: CoNLL columns, brat
#: types and IOB tags ("B-WORK_OF_ART") all break on whitespace.
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
MAX_NAME = 50
_KEY = re.compile(r"^[a-z0-9]$")

# Contrast (WCAG 2.x relative luminance and contrast ratio). A label colour is drawn two ways
# (annotator/ui/colors.py): as a translucent fill under the text (the focused item's fill is
# the strongest, FOCUS_ALPHA) and at full strength as the dashed outline of a suggestion. So:
#  - TEXT: the palette's text (black on the light theme, white on the dark one) on the focused
#    fill must reach 4.5:1, WCAG AA for body text. The plain fill is weaker, hence easier.
#  - MARK: the full colour against the page must reach 2:1, so an outline stays visible on both
#    pages. WCAG's 3:1 for graphics would leave only a narrow band of mid-dark colours that
#    pass on a white and a near-black page at once; 2:1 keeps a usable palette per hue.
FILL_ALPHA = 165  # = annotator.ui.colors.FOCUS_ALPHA (a test keeps them equal)
LIGHT_BASE, LIGHT_TEXT = "#ffffff", "#000000"
DARK_BASE, DARK_TEXT = "#1e1e1e", "#ffffff"
TEXT_CONTRAST = 4.5
MARK_CONTRAST = 2.0


def _channels(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def relative_luminance(color: str) -> float:
    """WCAG relative luminance of ``#rrggbb`` (0 black .. 1 white)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 .. 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def blend(color: str, base: str, alpha: int) -> str:
    """``color`` at ``alpha`` (0-255) painted over ``base``, as Qt composes a fill."""
    mixed = (
        round(c * alpha / 255 + b * (1 - alpha / 255))
        for c, b in zip(_channels(color), _channels(base), strict=True)
    )
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def color_problems(color: str) -> list[str]:
    """Why ``color`` is hard to read in the light or dark theme (empty: it is fine)."""
    if not _COLOR.match(color):
        return [f"colour {color!r} is not #rrggbb"]
    found = []
    for theme, base, text in (("light", LIGHT_BASE, LIGHT_TEXT), ("dark", DARK_BASE, DARK_TEXT)):
        on_fill = contrast(text, blend(color, base, FILL_ALPHA))
        if on_fill < TEXT_CONTRAST:
            found.append(
                f"text on it is hard to read in the {theme} theme "
                f"(contrast {on_fill:.1f}:1, needs {TEXT_CONTRAST}:1)"
            )
        mark = contrast(color, base)
        if mark < MARK_CONTRAST:
            found.append(
                f"it hardly shows on the page in the {theme} theme "
                f"(contrast {mark:.1f}:1, needs {MARK_CONTRAST}:1)"
            )
    return found


def name_problem(name: str, claim_label: str = "CLAIM") -> str | None:
    if not _NAME.match(name):
        return (
            f"label name {name!r} must start with a letter and hold only letters, digits, "
            "'_' or '-' (no spaces: exports use it as a tag)"
        )
    if len(name) > MAX_NAME:
        return f"label name {name!r} is longer than {MAX_NAME} characters"
    if name == claim_label:
        return f"label name {name!r} is the claim layer's label"
    return None


def hotkey_problem(key: str | None, label: str) -> str | None:
    if key is None:
        return None
    if not _KEY.match(key.lower()):
        return f"label {label!r}: hotkey {key!r} must be one letter or digit"
    if key.lower() in RESERVED_KEYS:
        return (
            f"label {label!r}: hotkey {key.upper()!r} is taken by the window "
            f"(reserved: {', '.join(sorted(k.upper() for k in RESERVED_KEYS))})"
        )
    return None


def problems(schema: LabelSchema) -> list[str]:
    """Everything the schema editor refuses, one message per problem naming the label."""
    found: list[str] = []
    for label in schema.entities:
        name = name_problem(label.name, schema.claim_label)
        if name:
            found.append(name)
        key = hotkey_problem(label.hotkey, label.name)
        if key:
            found.append(key)
        found += [f"label {label.name!r}: {p}" for p in color_problems(label.color)]
        if "\n" in label.description:
            found.append(f"label {label.name!r}: the description must be one line")
    found += [f"claim: {p}" for p in color_problems(schema.claim_color)]
    for claim_type in schema.claim_types:
        if not _NAME.match(claim_type):
            found.append(f"claim type {claim_type!r}: letters, digits, '_' or '-' only")
    return found


def validate(schema: LabelSchema) -> LabelSchema:
    """``schema`` if it follows the editor's rules, else :class:`SchemaError` listing all."""
    found = problems(schema)
    if found:
        raise SchemaError("; ".join(found))
    return schema


def next_free_hotkey(taken: set[str]) -> str | None:
    """The first key of :data:`HOTKEY_SEQUENCE` not in ``taken`` (lower case), if any."""
    return next((k for k in HOTKEY_SEQUENCE if k not in taken), None)


# -- templates -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Template:
    key: str
    title: str
    filename: str


#: What a new project can start from; the first is the default.
TEMPLATES: tuple[Template, ...] = (
    Template("default", "News entities + claims (10 types)", "default.json"),
    Template("conll2003", "CoNLL-2003 (PER, ORG, LOC, MISC)", "conll2003.json"),
    Template("ontonotes", "OntoNotes 5 (18 types)", "ontonotes.json"),
    Template("empty", "Empty (no entity labels yet)", "empty.json"),
)


def template(key: str) -> Template:
    for item in TEMPLATES:
        if item.key == key:
            return item
    known = ", ".join(t.key for t in TEMPLATES)
    raise SchemaError(f"unknown schema template {key!r} (known: {known})")


def template_schema(key: str) -> LabelSchema:
    """The label schema of the template ``key`` (shipped in ``resources/schema``)."""
    from annotator.core.resources import read_text

    return LabelSchema.from_json(read_text("schema", template(key).filename))
