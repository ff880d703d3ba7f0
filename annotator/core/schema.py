"""The label schema: which entity labels exist, their colours and hotkeys, and claim types."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from annotator.core.errors import SchemaError

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


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
